"""`make run` as a developer uses it: the server, downloads into the checkout, `make import`.

Starts `python -m devtools.run_local` (what `make run` runs) on a free port, with its
service file in a temporary directory so a developer's own `make run` is never touched.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.storage.store import DirectoryStore
from devtools.emulator import free_port
from localservice import LocalService, running
from tests.support.emulators import ROOT


@dataclass
class Run:
    process: subprocess.Popen[bytes]
    url: str
    service_file: Path

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return json.loads(response.read())

    def server_pids(self) -> list[int]:
        found = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in found.stdout.split()]


def start(tmp_path: Path, *flags: str) -> Run:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GK_"))}
    env.update(PORT=str(port), GK_LOCAL_SERVICE_FILE=str(tmp_path / "service.json"))
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.run_local", *flags],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    run = Run(process, f"http://127.0.0.1:{port}", tmp_path / "service.json")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "make run exited"
        try:
            run.get("/health")
            return run
        except OSError:
            time.sleep(0.2)
    stop(run)
    raise AssertionError("make run did not answer within 60 s")


def stop(run: Run) -> None:
    run.process.send_signal(signal.SIGTERM)  # as Ctrl-C: the server and the emulator stop
    run.process.wait(timeout=20)


@pytest.fixture(scope="module")
def make_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    run = start(tmp_path_factory.mktemp("make-run"))
    yield run
    stop(run)


# Chalice's file watcher polls once a second: a server that outlives 2.5 s of it saw the change.
WATCHER_SECONDS = 2.5


def outlive_the_file_watcher(run: Run, servers: list[int], age: float) -> float:
    """Wait, on the server's own clock, until its snapshot is WATCHER_SECONDS older than `age`.

    A restart fails at once: the servers change, or the snapshot is younger than before.
    Returns the snapshot's age at the end.
    """
    deadline = time.monotonic() + WATCHER_SECONDS + 60
    last = age
    while last < age + WATCHER_SECONDS:
        assert time.monotonic() < deadline, "the server's snapshot stopped ageing"
        assert run.server_pids() == servers
        now = run.get("/health")["snapshot_age_seconds"]
        assert now >= last  # the same snapshot, older: not a restarted server
        last = now
        time.sleep(0.1)  # a polling interval, not the wait itself
    assert run.server_pids() == servers
    return last


def download_into_the_checkout() -> Path:
    """What `curl -OJ …/vcard` does in the repository root."""
    path = ROOT / f"e2e-{uuid.uuid4().hex[:8]}.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nEND:VCARD\r\n", encoding="utf-8")
    return path


def test_a_download_into_the_checkout_does_not_restart_the_server(make_run: Run) -> None:
    servers = make_run.server_pids()
    age = make_run.get("/health")["snapshot_age_seconds"]
    download = download_into_the_checkout()
    try:
        outlive_the_file_watcher(make_run, servers, age)
        assert make_run.server_pids() == servers
        assert make_run.get("/health")["snapshot_age_seconds"] >= age + 2.5  # the same snapshot: no restart
        ignored = subprocess.run(["git", "check-ignore", "-q", download.name], cwd=ROOT, check=False)
        assert ignored.returncode == 0, "downloads at the top of the checkout are git-ignored"
    finally:
        download.unlink()


def test_make_import_reaches_the_running_service_with_no_aws_settings(make_run: Run, tmp_path: Path) -> None:
    service = running(make_run.service_file)
    assert isinstance(service, LocalService)
    assert service.url == make_run.url
    directory = tmp_path / "dortmund.json"
    office = {"id": "ki-e2e-dortmund", "name": "Kommunales Integrationszentrum Dortmund"}
    record = {"id": "05913", "participation": {"status": "reported"}, "offices": [office]}
    directory.write_text(json.dumps({"municipalities": [record]}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GK_"))}
    env["GK_LOCAL_SERVICE_FILE"] = str(make_run.service_file)
    imported = subprocess.run(
        [sys.executable, "-m", "admin", "import", str(directory)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert "1 added" in imported.stdout
    deadline = time.monotonic() + 10
    while True:  # the local stage checks the revision every second
        try:
            assert make_run.get("/offices/ki-e2e-dortmund")["municipality"]["id"] == "05913"
            break
        except urllib.error.HTTPError:
            assert time.monotonic() < deadline
            time.sleep(0.3)


def test_import_without_a_running_service_says_what_to_do(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GK_"))}
    env["GK_LOCAL_SERVICE_FILE"] = str(tmp_path / "none.json")
    imported = subprocess.run(
        [sys.executable, "-m", "admin", "import", "data/directory.json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert imported.returncode == 2
    assert "make run" in imported.stderr
    assert "NoCredentialsError" not in imported.stderr


def test_stopping_removes_the_service_file_and_reload_watches_only_code(tmp_path: Path) -> None:
    run = start(tmp_path, "--reload")
    try:
        assert running(run.service_file) is not None
        servers = run.server_pids()
        download = download_into_the_checkout()
        try:
            outlive_the_file_watcher(run, servers, 0.0)
            assert run.server_pids() == servers  # the reloader's parent…
            age = run.get("/health")["snapshot_age_seconds"]
            assert age >= 2.5  # …and its worker kept running: a download is no code change
        finally:
            download.unlink()
    finally:
        stop(run)
    assert not run.service_file.exists()
    assert run.server_pids() == []
    with pytest.raises(urllib.error.URLError):  # no worker left behind either
        run.get("/health")


def _admin(run: Run, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m admin …` as a developer types it next to `make run`: no AWS settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GK_"))}
    env["GK_LOCAL_SERVICE_FILE"] = str(run.service_file)
    return subprocess.run(
        [sys.executable, "-m", "admin", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def _request(run: Run, method: str, path: str, token: str, body: Any = None,
             if_match: str | None = None) -> tuple[int, dict[str, str], Any]:
    headers = {"Authorization": f"Bearer {token}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    if if_match is not None:
        headers["If-Match"] = if_match
    request = urllib.request.Request(run.url + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), json.loads(response.read())


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_done_when_an_import_of_an_earlier_export_refuses_and_keeps_the_api_edit(
    make_run: Run, tmp_path: Path, fmt: str
) -> None:
    contact = "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"  # Kreis Steinfurt's published contact
    exported = tmp_path / f"verzeichnis.{fmt}"
    assert _admin(make_run, "export", "-o", str(exported)).returncode == 0

    created = _admin(make_run, "tokens", "create", "--scope", "municipality:05566", "--label", f"KI {fmt}")
    token = re.findall(r"gk_[A-Za-z0-9_-]{43}", created.stdout)[0]
    _, headers, _ = _request(make_run, "GET", f"/contacts/{contact}", token)
    email = f"ki-{fmt}@example.org"
    status, _, _ = _request(make_run, "PATCH", f"/contacts/{contact}", token, {"email": email},
                            if_match=headers["ETag"])
    assert status == 200

    dry = _admin(make_run, "import", str(exported), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"  conflict: contact 05566/{contact}: changed since the export" in dry.stdout
    assert f"by KI {fmt})" in dry.stdout

    service = running(make_run.service_file)
    assert isinstance(service, LocalService)
    table = boto3.client("dynamodb", endpoint_url=service.endpoint, region_name="eu-central-1")
    store = DirectoryStore(table, service.table)
    before = store.revision()
    refused = _admin(make_run, "import", str(exported))
    assert refused.returncode == 1
    assert f"contact 05566/{contact}: changed since the export (revision" in refused.stderr
    assert "1 entry changed in the directory since the file was taken; nothing was written" in refused.stderr
    assert email not in refused.stderr + refused.stdout  # names the entry, never its values
    assert store.revision() == before  # the refusal wrote nothing
    # Once the server has checked the table since the import, it serves the edit still.
    deadline = time.monotonic() + 30
    while make_run.get("/health")["revision"] != before:
        assert time.monotonic() < deadline, "the server never caught up with the table"
        make_run.get(f"/contacts/{contact}")  # a read checks the revision (every second, locally)
        time.sleep(0.1)
    assert make_run.get(f"/contacts/{contact}")["email"] == email


def test_a_second_run_on_a_busy_port_says_so_in_one_line_and_leaves_the_first_alone(
    make_run: Run, tmp_path: Path
) -> None:
    before = make_run.service_file.read_bytes()
    port = make_run.url.rsplit(":", 1)[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GK_"))}
    # The same service file as the running one: a second run must not overwrite or withdraw it.
    env.update(PORT=port, GK_LOCAL_SERVICE_FILE=str(make_run.service_file))
    second = subprocess.run(
        [sys.executable, "-m", "devtools.run_local"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )
    assert second.returncode == 1
    assert second.stdout == ""  # no admin token, no "Ctrl-C stops it"
    assert second.stderr.splitlines() == [
        f"port {port} is in use — is make run already running? PORT=8080 make run uses another"
    ]
    assert make_run.service_file.read_bytes() == before
    assert running(make_run.service_file) is not None
    assert make_run.get("/health")  # the first one still answers
