"""Cold starts as Lambda has them: fresh interpreters importing the unpacked deployment package.

Each probe is a new `python -S -B` process (no site-packages, no bytecode written)
whose sys.path is what Lambda's python3.11 runtime gives a function: the task root
(the unzipped deployment.zip) first, then the runtime's own packages — here a folder
holding boto3 and botocore with their dependencies, linked from this environment's
installation, exactly as the runtime lends them to every function. It imports the
handler and answers one API Gateway event against the local DynamoDB emulator; the
time from the first import to the answer is the figure.

The baseline is a bare Chalice app importing boto3 and answering with one GetItem,
from a task root of its own that holds the same chalice runtime, so both sides
import boto3 and chalice from the same place. Probes alternate between the two, so
drift on the machine hits both alike.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# What the python3.11 runtime provides beside the function (boto3 and what it needs).
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six.py", "urllib3")

BARE_APP = """
import os

import boto3
from chalice import Chalice

app = Chalice(app_name="bare")
_client = []


@app.route("/")
def index():
    if not _client:
        _client.append(boto3.session.Session().client("dynamodb"))
    item = _client[0].get_item(
        TableName=os.environ["GK_TABLE_NAME"],
        Key={"pk": {"S": "META"}, "sk": {"S": "REVISION"}},
        ConsistentRead=True,
    ).get("Item")
    return {"revision": item["revision"]["N"] if item else None}
"""

PROBE = """
import sys, time
start = time.perf_counter()
sys.path[:0] = {paths!r}
from app import app
answer = app({event!r}, None)
took = time.perf_counter() - start
import json
print(json.dumps({{"seconds": took, "status": answer["statusCode"], "modules": len(sys.modules),
                   "from_site": any("site-packages" in (getattr(m, "__file__", None) or "")
                                    for m in list(sys.modules.values()))}}))
"""


@dataclass(frozen=True)
class Rig:
    task_root: Path  # the unzipped deployment package
    bare_root: Path  # the bare app, with the same chalice runtime
    runtime: Path  # boto3 & co., as the Lambda runtime lends them


def _site_packages() -> Path:
    import boto3

    return Path(boto3.__file__).resolve().parent.parent


def prepare(deployment_zip: Path, scratch: Path) -> Rig:
    task_root, bare_root, runtime = scratch / "task", scratch / "bare", scratch / "runtime"
    with zipfile.ZipFile(deployment_zip) as archive:
        archive.extractall(task_root)
    if (task_root / "boto3").exists() or (task_root / "botocore").exists():
        raise RuntimeError("the package bundles boto3: the runtime's would never be used")
    runtime.mkdir()
    site = _site_packages()
    for name in RUNTIME_PACKAGES:
        (runtime / name).symlink_to(site / name)
    bare_root.mkdir()
    (bare_root / "app.py").write_text(BARE_APP, encoding="utf-8")
    (bare_root / "chalice").symlink_to(task_root / "chalice")
    return Rig(task_root, bare_root, runtime)


def build(scratch: Path, stage: str = "prod") -> Path:
    """`make package` into scratch; the deployment.zip."""
    from infra.package import build_package

    package = build_package(stage, scratch / "package", ROOT)
    return package.zip


def _probe(root: Path, runtime: Path, event: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    code = PROBE.format(paths=[str(root), str(runtime)], event=event)
    out = subprocess.run(
        [sys.executable, "-S", "-B", "-c", code],
        cwd=tempfile.gettempdir(),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"cold probe in {root} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if result["status"] != 200:
        raise RuntimeError(f"cold probe in {root} answered {result['status']}")
    if result["from_site"]:
        raise RuntimeError("a cold probe imported from site-packages: it is not isolated")
    return result


def measure(
    rig: Rig,
    endpoint: str,
    tables: list[str],
    app_event: dict[str, Any],
    bare_event: dict[str, Any],
    runs: int = 9,
) -> tuple[list[float], float]:
    """Median seconds of our first request on each table, and of the bare app's, interleaved.

    A round probes our app once on every table, then the bare app (on the first table), so
    drift on the machine lands on every figure alike and a ratio between two tables is
    taken within the same minutes, not between phases that may find the machine changed.
    """

    def env_of(table: str) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", ""),
            "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
            "GK_TABLE_NAME": table,
            "GK_REFRESH_SECONDS": "30",
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "eu-central-1",
            "AWS_REGION": "eu-central-1",
            "AWS_LAMBDA_FUNCTION_NAME": "gk-directory-bench",
        }

    ours: list[list[float]] = [[] for _ in tables]
    bare: list[float] = []
    for table in tables:  # page cache warm for every side alike
        _probe(rig.task_root, rig.runtime, app_event, env_of(table))
    _probe(rig.bare_root, rig.runtime, bare_event, env_of(tables[0]))
    for _ in range(runs):
        for samples, table in zip(ours, tables, strict=True):
            samples.append(_probe(rig.task_root, rig.runtime, app_event, env_of(table))["seconds"])
        bare.append(_probe(rig.bare_root, rig.runtime, bare_event, env_of(tables[0]))["seconds"])
    return [statistics.median(samples) for samples in ours], statistics.median(bare)


def cleanup(scratch: Path) -> None:
    shutil.rmtree(scratch, ignore_errors=True)
