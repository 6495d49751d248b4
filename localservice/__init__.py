"""The running local service, as `make run` publishes it: `.gk-local.json` in the checkout.

`make run` (devtools) writes the file when its emulator and table are ready and removes
it on exit; the admin command line and `make import` read it to reach that emulator
without any AWS settings. The file names a loopback endpoint and a table, never
credentials: the emulator takes any, so everything signs its requests with the dummy
LOCAL_CREDENTIALS below and nothing else.

A package of its own, neither devtools nor admin: both use it, and admin never imports
devtools (an import-linter contract in pyproject.toml). Never shipped to Lambda.
"""

from __future__ import annotations

import json
import os
from collections.abc import MutableMapping
from dataclasses import asdict, dataclass
from pathlib import Path

LOCAL_CREDENTIALS = {
    # boto3 signs every request; the emulator accepts any key. These are not secrets.
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_DEFAULT_REGION": "eu-central-1",
}
ROOT = Path(__file__).resolve().parent.parent
# GK_LOCAL_SERVICE_FILE moves it (tests do, so they never touch a developer's run).
DEFAULT_FILE = ROOT / ".gk-local.json"


@dataclass(frozen=True)
class LocalService:
    endpoint: str  # the DynamoDB emulator, http://127.0.0.1:<port>
    table: str
    url: str  # the API
    pid: int  # the `make run` process that owns the file


def service_file(env: MutableMapping[str, str] = os.environ) -> Path:
    return Path(env.get("GK_LOCAL_SERVICE_FILE") or DEFAULT_FILE)


def publish(service: LocalService, path: Path) -> None:
    """Write the file atomically: a reader sees the whole of it or none."""
    partial = path.with_name(path.name + f".{service.pid}.tmp")
    partial.write_text(json.dumps(asdict(service), indent=2) + "\n", encoding="utf-8")
    partial.replace(path)


def withdraw(path: Path, pid: int) -> None:
    """Remove the file if this process published it (a newer run may own it by now)."""
    found = running(path, check_alive=False)
    if found is not None and found.pid == pid:
        path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running(path: Path, *, check_alive: bool = True) -> LocalService | None:
    """The published service, or None — no file, an unreadable one, or one left by a dead run."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        service = LocalService(str(data["endpoint"]), str(data["table"]), str(data["url"]), int(data["pid"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if check_alive and not _alive(service.pid):
        return None
    return service


def use(service: LocalService, env: MutableMapping[str, str] = os.environ) -> None:
    """Point this process's boto3 at the local emulator and table, with dummy credentials.

    Set, not defaulted: real credentials in the environment must not travel to a
    local endpoint.
    """
    env.update(LOCAL_CREDENTIALS)
    for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE"):
        env.pop(name, None)
    env["AWS_ENDPOINT_URL_DYNAMODB"] = service.endpoint
    env["GK_TABLE_NAME"] = service.table
