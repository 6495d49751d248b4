"""Shared fixtures: DynamoDB emulators over HTTP, a loaded API, a live HTTP server.

Emulators are real servers on loopback — moto's server mode always, dynalite
(npm) where node_modules has it. A missing component skips locally but fails
when the matching REQUIRE_* variable is set, as CI sets them all.

Hypothesis profiles: "dev" (the default) is quick for the edit-test loop; "ci"
(HYPOTHESIS_PROFILE=ci, which .ci/run exports) runs many more examples and is
derandomized, so a CI run is reproducible and a failure prints its reproduction
blob. `pytest --hypothesis-profile=…` overrides either.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator

import pytest
from hypothesis import settings

from chalicelib import bootstrap
from chalicelib.storage.store import DirectoryStore
from chalicelib.write import importer
from chalicelib.write.writer import DirectoryWriter
from devtools import local_gateway
from devtools.emulator import MotoServer, free_port, use_local_credentials
from tests.support.emulators import (
    DYNALITE,
    Api,
    LiveApi,
    configure_service,
    make_store,
    require_or_skip,
    wait_for_port,
)

use_local_credentials()
# Requests API Gateway refuses itself are answered as the deployment's gateway responses do.
local_gateway.install()

# No test here is about speed, so neither profile has a deadline: on a loaded machine a
# deadline only makes examples flaky.
settings.register_profile("dev", settings.get_profile("default"), max_examples=50, deadline=None)
settings.register_profile("ci", settings.get_profile("ci"), max_examples=500)
# Hypothesis itself switches to its "ci" profile when it sees a CI environment; keep that.
_AUTO = "ci" if settings.get_current_profile_name() == "ci" else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or _AUTO)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    server = MotoServer().start()
    wait_for_port(server.port)
    yield server.endpoint
    server.stop()


@pytest.fixture(scope="session")
def dynalite_endpoint() -> Iterator[str]:
    if not DYNALITE.exists() or shutil.which("node") is None:
        require_or_skip("REQUIRE_DYNALITE", "dynalite is not installed (npm ci)")
    port = free_port()
    process = subprocess.Popen(
        [str(DYNALITE), "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(params=["moto", pytest.param("dynalite", marks=pytest.mark.dynalite)])
def backend_store(request: pytest.FixtureRequest) -> Iterator[DirectoryStore]:
    """A fresh table on each emulator: the store's contract holds on both."""
    endpoint = request.getfixturevalue(f"{request.param}_endpoint")
    store = make_store(endpoint)
    yield store
    store.delete_table()


def _api_on(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    from chalice.test import Client

    from app import app

    store = make_store(endpoint)
    writer = DirectoryWriter(store)
    importer.load(writer)
    configure_service(monkeypatch, endpoint, store.table_name)
    with Client(app, stage_name="test") as client:
        yield Api(client, store, writer, endpoint)
    bootstrap.reset()
    store.delete_table()


@pytest.fixture
def api(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    """The app on a fresh moto table holding data/directory.json; refresh on every request."""
    yield from _api_on(moto_endpoint, monkeypatch)


@pytest.fixture(params=["moto", pytest.param("dynalite", marks=pytest.mark.dynalite)])
def backend_api(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    """The same app on each emulator: what must hold on DynamoDB holds on both."""
    yield from _api_on(request.getfixturevalue(f"{request.param}_endpoint"), monkeypatch)


@pytest.fixture(scope="session")
def live_api(moto_endpoint: str) -> Iterator[LiveApi]:
    """app.py served over real HTTP by `make run`'s server, on a free port, shipped data loaded."""
    from chalice.config import Config

    from app import app
    from devtools.local_server import create_server

    store = make_store(moto_endpoint)
    writer = DirectoryWriter(store)
    importer.load(writer)
    saved = {
        k: os.environ.get(k) for k in ("AWS_ENDPOINT_URL_DYNAMODB", "GK_TABLE_NAME", "GK_REFRESH_SECONDS")
    }
    os.environ.update(
        AWS_ENDPOINT_URL_DYNAMODB=moto_endpoint, GK_TABLE_NAME=store.table_name, GK_REFRESH_SECONDS="0"
    )
    bootstrap.reset()
    port = free_port()
    config = Config.create(chalice_stage="local", app_name="gk-directory")
    server = create_server(app, config, "127.0.0.1", port)
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    wait_for_port(port)
    yield LiveApi(f"http://127.0.0.1:{port}", store, writer)
    server.shutdown()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    bootstrap.reset()
    store.delete_table()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under REQUIRE_NO_SKIPS=1 (CI), any skipped test fails the run."""
    if os.environ.get("REQUIRE_NO_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        print(f"\nREQUIRE_NO_SKIPS=1: {skipped} test(s) skipped — CI counts that as a failure.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
