"""`make run`: moto on loopback, the table, the shipped data, then `chalice local`.

Everything lives in memory: stop it (Ctrl-C) and the local directory is gone;
the next start loads data/ afresh.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib import bootstrap  # noqa: E402
from chalicelib.write import importer  # noqa: E402
from chalicelib.write.writer import DirectoryWriter  # noqa: E402
from devtools.emulator import MotoServer, use_local_credentials  # noqa: E402

HOST, PORT = "127.0.0.1", int(os.environ.get("PORT", "8000"))


def main() -> int:
    use_local_credentials()
    moto = MotoServer().start()
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = moto.endpoint
    os.environ.setdefault("GK_TABLE_NAME", "gk-directory-local")
    bootstrap.reset()
    bootstrap.store().create_table()
    report = importer.load(DirectoryWriter(bootstrap.store()))
    # The local stage only: a token to try the editing API with, shown this once.
    # No deployed stage creates or prints one (the admin CLI makes tokens there).
    admin_token, _ = bootstrap.tokens().create("admin", "make run (local)")
    print(
        f"DynamoDB (moto, in memory) at {moto.endpoint}: table {os.environ['GK_TABLE_NAME']}, "
        f"{len(report.created)} municipalities loaded from data/directory.json"
    )
    print(f"admin token: {admin_token}")
    print(
        f"gk-directory: http://{HOST}:{PORT}/  (try http://{HOST}:{PORT}/municipalities?q=steinfurt) "
        "— Ctrl-C stops it",
        flush=True,
    )
    chalice = Path(sys.executable).with_name("chalice")
    command = [str(chalice), "local", "--host", HOST, "--port", str(PORT), "--stage", "local"]
    process = subprocess.Popen(command, cwd=ROOT)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait(timeout=10)
        return 0
    finally:
        moto.stop()


if __name__ == "__main__":
    sys.exit(main())
