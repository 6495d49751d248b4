"""`make package`: the Lambda deployment package and ONE SAM template for a stage.

Three steps, no AWS access (chalice only wants a region name):

1. ``chalice package --stage S <scratch>`` — to learn which functions and roles
   chalice emits (see infra/template.py for why the merge is derived from them);
2. the merge template from that, written to ``<out>/../merge-S.json`` (chalice's own
   template beside it as ``chalice-S.json``, to compare);
3. ``chalice package --stage S --merge-template <merge> <out>`` — the result,
   ``<out>/sam.json`` and ``<out>/deployment.zip``, checked by ``verify_merged``;
4. compiled bytecode added to the zip (infra/bytecode.py), so cold starts load it
   instead of compiling every module.

Run: ``python -m infra.package --stage prod build/package``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .bytecode import add_bytecode, runtime_of
from .stages import stage_settings
from .template import build_merge_template, verify_merged

DEFAULT_REGION = "eu-central-1"
# Lambda's limits for a .zip deployment package (direct upload / unzipped with layers).
LAMBDA_ZIPPED_LIMIT = 50 * 1024 * 1024
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024


@dataclass(frozen=True)
class Package:
    directory: Path
    merge_template: Path
    # sam.json of step 1: what chalice emits without the merge
    chalice_template: Path

    @property
    def template(self) -> Path:
        return self.directory / "sam.json"

    @property
    def zip(self) -> Path:
        return self.directory / "deployment.zip"

    def sizes(self) -> tuple[int, int]:
        """(zipped, unzipped) size of the deployment package in bytes."""
        with zipfile.ZipFile(self.zip) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
        return self.zip.stat().st_size, unzipped


def chalice_command() -> list[str]:
    """The chalice of this interpreter's environment (the venv's), else the one on PATH."""
    beside = Path(sys.executable).with_name("chalice")
    found = str(beside) if beside.exists() else shutil.which("chalice")
    if found is None:
        raise FileNotFoundError("chalice is not installed (pip install -r requirements-dev.txt)")
    return [found]


def _chalice_package(project_dir: Path, stage: str, out_dir: Path, *extra: str) -> None:
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION}
    command = [*chalice_command(), "package", "--stage", stage, *extra, str(out_dir)]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, cwd=project_dir, env=env, check=True)  # noqa: S603 — our own argv


def build_package(stage: str, out_dir: Path, project_dir: Path | None = None) -> Package:
    """Package `project_dir` (default: the current directory) for `stage` into `out_dir`."""
    settings = stage_settings(stage)
    project_dir = (project_dir or Path.cwd()).resolve()
    out_dir = out_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="chalice-plain-") as scratch:
        _chalice_package(project_dir, stage, Path(scratch))
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        chalice_file = shutil.copyfile(Path(scratch) / "sam.json", out_dir.parent / f"chalice-{stage}.json")
    merge = build_merge_template(json.loads(chalice_file.read_text(encoding="utf-8")), settings)
    merge_file = out_dir.parent / f"merge-{stage}.json"
    merge_file.write_text(json.dumps(merge, indent=2) + "\n", encoding="utf-8")
    _chalice_package(project_dir, stage, out_dir, "--merge-template", str(merge_file))
    package = Package(out_dir, merge_file, chalice_file)
    template = json.loads(package.template.read_text(encoding="utf-8"))
    verify_merged(template)
    add_bytecode(package.zip, runtime_of(template))
    return package


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.package", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", default="prod")
    parser.add_argument("out_dir", type=Path, nargs="?", default=Path("build/package"))
    args = parser.parse_args(argv)
    package = build_package(args.stage, args.out_dir)
    zipped, unzipped = package.sizes()
    print(f"{package.template}: one SAM template, merged with {package.merge_template}")
    print(
        f"{package.zip}: {_megabytes(zipped)} zipped, {_megabytes(unzipped)} unzipped "
        f"(Lambda: {_megabytes(LAMBDA_ZIPPED_LIMIT)} / {_megabytes(LAMBDA_UNZIPPED_LIMIT)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
