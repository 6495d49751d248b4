"""Shared fixtures: DynamoDB emulators over HTTP, a loaded API, a live HTTP server.

Emulators are real servers on loopback — moto's server mode always, dynalite
(npm) where node_modules has it. A missing component skips locally but fails
when the matching REQUIRE_* variable is set, as CI sets them all.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from chalicelib import loader, service
from chalicelib.emulator import MotoServer, free_port, use_local_credentials
from chalicelib.store import DirectoryStore
from chalicelib.writer import DirectoryWriter

ROOT = Path(__file__).resolve().parent.parent
DYNALITE = ROOT / "node_modules" / ".bin" / "dynalite"

use_local_credentials()


def require_or_skip(variable: str, reason: str) -> None:
    """Skip for a developer without the component; fail in CI, which sets the variable."""
    if os.environ.get(variable) == "1":
        pytest.fail(f"{reason} — and {variable}=1 says it is required", pytrace=False)
    pytest.skip(reason)


def _wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    server = MotoServer().start()
    _wait_for_port(server.port)
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
        _wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def make_store(endpoint: str) -> DirectoryStore:
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="eu-central-1")
    store = DirectoryStore(client, f"gk-test-{uuid.uuid4().hex[:12]}")
    store.create_table()
    return store


@pytest.fixture(params=["moto", pytest.param("dynalite", marks=pytest.mark.dynalite)])
def backend_store(request: pytest.FixtureRequest) -> Iterator[DirectoryStore]:
    """A fresh table on each emulator: the store's contract holds on both."""
    endpoint = request.getfixturevalue(f"{request.param}_endpoint")
    store = make_store(endpoint)
    yield store
    store.delete_table()


@dataclass
class Api:
    client: object  # chalice.test.Client
    store: DirectoryStore
    writer: DirectoryWriter
    endpoint: str


def configure_service(monkeypatch: pytest.MonkeyPatch, endpoint: str, table: str, **settings: str) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
    monkeypatch.setenv("GK_TABLE_NAME", table)
    monkeypatch.setenv("GK_REFRESH_SECONDS", settings.get("refresh", "0"))
    monkeypatch.setenv("GK_DYNAMODB_TIMEOUT_SECONDS", "1")
    monkeypatch.setenv("GK_DYNAMODB_MAX_ATTEMPTS", "1")
    service.reset()


@pytest.fixture
def api(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    """The app on a fresh moto table holding data/directory.json; refresh on every request."""
    from chalice.test import Client

    from app import app

    store = make_store(moto_endpoint)
    writer = DirectoryWriter(store)
    loader.load(writer)
    configure_service(monkeypatch, moto_endpoint, store.table_name)
    with Client(app, stage_name="test") as client:
        yield Api(client, store, writer, moto_endpoint)
    service.reset()
    store.delete_table()


@dataclass
class LiveApi:
    url: str
    store: DirectoryStore
    writer: DirectoryWriter


@pytest.fixture(scope="session")
def live_api(moto_endpoint: str) -> Iterator[LiveApi]:
    """app.py served over real HTTP by Chalice's local dev server, on a free port, shipped data loaded."""
    from chalice.config import Config
    from chalice.local import create_local_server

    from app import app

    store = make_store(moto_endpoint)
    writer = DirectoryWriter(store)
    loader.load(writer)
    saved = {
        k: os.environ.get(k) for k in ("AWS_ENDPOINT_URL_DYNAMODB", "GK_TABLE_NAME", "GK_REFRESH_SECONDS")
    }
    os.environ.update(
        AWS_ENDPOINT_URL_DYNAMODB=moto_endpoint, GK_TABLE_NAME=store.table_name, GK_REFRESH_SECONDS="0"
    )
    service.reset()
    port = free_port()
    server = create_local_server(
        app, Config.create(chalice_stage="local", app_name="gk-directory"), "127.0.0.1", port
    )
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    _wait_for_port(port)
    yield LiveApi(f"http://127.0.0.1:{port}", store, writer)
    server.shutdown()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    service.reset()
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
