"""`make run`: moto on loopback, the table, the shipped data, then the local server.

    python -m devtools.run_local [--reload]

Everything lives in memory: stop it (Ctrl-C) and the local directory is gone; the
next start loads data/ afresh. While it runs, `.gk-local.json` (localservice)
says where its emulator and table are, so `make import FILE=…` reaches them with no
AWS settings. The server (devtools.local_server) is chalice local without its
auto-reload: `make run RELOAD=1` restarts it when code under chalicelib/ changes.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import localservice  # noqa: E402
from chalicelib import bootstrap  # noqa: E402
from chalicelib.write import importer  # noqa: E402
from chalicelib.write.writer import DirectoryWriter  # noqa: E402
from devtools.emulator import MotoServer, use_local_credentials  # noqa: E402

HOST, PORT = "127.0.0.1", int(os.environ.get("PORT", "8000"))
STAGE = "local"


def stage_table(stage: str = STAGE) -> str:
    """The table the stage's app reads (.chalice/config.json sets it for the server process)."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return str(config["stages"][stage]["environment_variables"]["GK_TABLE_NAME"])


def server_command(*, reload: bool) -> list[str]:
    command = [sys.executable, "-m", "devtools.local_server", "--host", HOST, "--port", str(PORT)]
    return [*command, "--stage", STAGE, *(["--reload"] if reload else [])]


def port_in_use(host: str, port: int) -> bool:
    """Whether something listens on (or holds) the port: binding it as the server will, then letting go."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the server's socket (http.server sets it): a port left in TIME_WAIT is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _stop(_signal: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM cleans up like Ctrl-C


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.run_local", description=__doc__.split("\n")[0])
    parser.add_argument("--reload", action="store_true", help="restart when code under chalicelib/ changes")
    args = parser.parse_args(argv)
    # Before anything else: a second `make run` must leave the first one (and its
    # .gk-local.json) alone, and say so in one line instead of a traceback.
    if port_in_use(HOST, PORT):
        other = 8080 if PORT != 8080 else 8081
        print(f"port {PORT} is in use — is make run already running? PORT={other} make run uses another",
              file=sys.stderr)
        return 1
    use_local_credentials()
    moto = MotoServer().start()
    table = stage_table()
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = moto.endpoint
    os.environ["GK_TABLE_NAME"] = table
    service_file = localservice.service_file()
    signal.signal(signal.SIGTERM, _stop)
    try:
        bootstrap.reset()
        bootstrap.store().create_table()
        report = importer.load(DirectoryWriter(bootstrap.store()))
        # The local stage only: a token to try the editing API with, shown this once.
        # No deployed stage creates or prints one (the admin CLI makes tokens there).
        admin_token, _ = bootstrap.tokens().create("admin", "make run (local)")
        url = f"http://{HOST}:{PORT}"
        service = localservice.LocalService(moto.endpoint, table, url, os.getpid())
        localservice.publish(service, service_file)
        print(
            f"DynamoDB (moto, in memory) at {moto.endpoint}: table {table}, "
            f"{len(report.created)} municipalities loaded from data/directory.json "
            f"(`make import FILE=…` adds more; {service_file.name} says where)"
        )
        print(f"admin token: {admin_token}  (sign in to the editing page: {url}/edit#token={admin_token})")
        print(f"gk-directory: {url}/  (try {url}/municipalities?q=steinfurt) — Ctrl-C stops it", flush=True)
        process = subprocess.Popen(server_command(reload=args.reload), cwd=ROOT)
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.terminate()
            process.wait(timeout=10)
            return 0
    except KeyboardInterrupt:
        return 0
    finally:
        localservice.withdraw(service_file, os.getpid())
        moto.stop()


if __name__ == "__main__":
    sys.exit(main())
