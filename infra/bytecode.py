"""Compiled bytecode in the deployment package: Lambda's cold start should not compile.

`chalice package` zips sources only, and Lambda's /var/task is read-only, so every
cold start compiled every module it imported (pydantic, chalice, our own) and threw
the result away. Compiling once here, with hash-based pycs that are never checked
against the source (``UNCHECKED_HASH``: unzipping does not keep file times, and the
package never changes after it is built), lets the interpreter load them as they are.

The bytecode belongs to one interpreter version: it is compiled by the interpreter
that builds the package, which must be the functions' runtime (``python3.11``).
"""

from __future__ import annotations

import compileall
import py_compile
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

# Where Lambda unpacks the package: tracebacks name the files as they are there.
TASK_ROOT = "/var/task"


class RuntimeMismatch(RuntimeError):
    """The building interpreter is not the functions' runtime: its bytecode would be ignored."""


def runtime_of(template: dict[str, Any]) -> str:
    """The one Python runtime of the template's functions, e.g. "python3.11"."""
    resources: dict[str, Any] = template.get("Resources", {})
    runtimes = {
        str(resource["Properties"]["Runtime"])
        for resource in resources.values()
        if resource.get("Type") == "AWS::Serverless::Function" and "Runtime" in resource.get("Properties", {})
    }
    globals_: dict[str, Any] = template.get("Globals", {})
    if "Runtime" in globals_.get("Function", {}):
        runtimes.add(str(globals_["Function"]["Runtime"]))
    if len(runtimes) != 1:
        raise RuntimeMismatch(f"expected one Python runtime in the template, found {sorted(runtimes)}")
    return runtimes.pop()


def _is_bytecode(name: str) -> bool:
    return "__pycache__/" in name or name.endswith((".pyc", ".pyo"))


def add_bytecode(zip_path: Path, runtime: str) -> int:
    """Rewrite the zip with a ``__pycache__/*.pyc`` beside every module; the number compiled."""
    here = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if runtime != here:
        raise RuntimeMismatch(f"the functions run {runtime} but this is {here}: build with {runtime}")
    with tempfile.TemporaryDirectory(prefix="gk-bytecode-") as scratch:
        root = Path(scratch)
        with zipfile.ZipFile(zip_path) as archive:
            # Bytecode chalice copied from a used tree (__pycache__ left by a run or the
            # tests) is dropped: it would enter the zip twice beside what is compiled here,
            # and the package must be the same from a used tree as from a clean clone.
            infos = [i for i in archive.infolist() if not _is_bytecode(i.filename)]
            archive.extractall(root, members=infos)
        compileall.compile_dir(
            root,
            quiet=2,
            stripdir=str(root),
            prependdir=TASK_ROOT,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
            workers=0,
        )
        compiled = sorted(p for p in root.rglob("*.pyc") if p.parent.name == "__pycache__")
        rewritten = zip_path.with_suffix(".tmp")
        with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as out:
            for info in infos:  # the original entries, permissions and all
                out.writestr(info, (root / info.filename).read_bytes() if not info.is_dir() else b"")
            for pyc in compiled:
                name = pyc.relative_to(root).as_posix()
                entry = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                entry.external_attr = 0o100644 << 16
                entry.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(entry, pyc.read_bytes())
        rewritten.replace(zip_path)
    return len(compiled)
