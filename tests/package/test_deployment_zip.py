"""What Lambda gets: the application and its runtime packages, no development code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from infra.package import LAMBDA_UNZIPPED_LIMIT, LAMBDA_ZIPPED_LIMIT
from tests.support.package import ROOT, BuiltPackage

pytestmark = pytest.mark.package

# Top-level folders of the work tree and development packages that must never ship.
DEVELOPMENT_PACKAGES = [
    "tests",
    "infra",
    "devtools",
    "admin",
    "bench",
    "scripts",
    "data",
    "moto",
    "pytest",
    "_pytest",
    "hypothesis",
    "faker",
    "playwright",
    "cfnlint",
    "mypy",
    "ruff",
    "werkzeug",
    "flask",
]


def _names(built: BuiltPackage) -> list[str]:
    with zipfile.ZipFile(built.package.zip) as archive:
        return archive.namelist()


def test_the_application_is_in_it(prod_package: BuiltPackage) -> None:
    names = set(_names(prod_package))
    shipped = {"app.py", "chalicelib/__init__.py", "chalicelib/storage/store.py"}
    assert shipped | {"chalicelib/assets/widget.js", "chalicelib/assets/reference.csv"} <= names


@pytest.mark.parametrize("package", DEVELOPMENT_PACKAGES)
def test_no_development_package(prod_package: BuiltPackage, package: str) -> None:
    shipped = {name.split("/", 1)[0].lower() for name in _names(prod_package)}
    assert not {package, f"{package}.py"} & shipped
    assert not any(top.startswith(f"{package}-") and top.endswith(".dist-info") for top in shipped)


def test_no_emulator(prod_package: BuiltPackage) -> None:
    assert [name for name in _names(prod_package) if name.rsplit("/", 1)[-1] == "emulator.py"] == []


def test_fits_lambdas_limits_with_room(
    prod_package: BuiltPackage, record_property: Callable[[str, object], None]
) -> None:
    zipped, unzipped = prod_package.package.sizes()
    record_property("deployment_zip_bytes", zipped)
    record_property("deployment_unzipped_bytes", unzipped)
    print(f"deployment.zip: {zipped:,} bytes zipped, {unzipped:,} bytes unzipped")
    assert zipped < LAMBDA_ZIPPED_LIMIT / 2
    assert unzipped < LAMBDA_UNZIPPED_LIMIT / 2


def _clean_clone(into: Path) -> Path:
    """The tracked files only, as `git clone` would give them."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (ROOT / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, into / name)
    return into


def test_a_used_tree_packages_as_a_clean_clone_does(tmp_path_factory: pytest.TempPathFactory) -> None:
    from infra.package import build_package

    clean = _clean_clone(tmp_path_factory.mktemp("clean"))
    used = _clean_clone(tmp_path_factory.mktemp("used"))
    # What a run leaves: bytecode beside every module (the interpreter's own, unchecked).
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import compileall, sys; compileall.compile_dir(sys.argv[1], quiet=2)",
            str(used),
        ],
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
    )
    assert any(used.glob("chalicelib/**/__pycache__/*.pyc"))
    lists = []
    for tree in (clean, used):
        package = build_package("prod", tmp_path_factory.mktemp(f"package-{tree.name}") / "package", tree)
        with zipfile.ZipFile(package.zip) as archive:
            names = [info.filename for info in archive.infolist()]
        assert len(names) == len(set(names)), "an entry twice in the zip"
        lists.append(sorted(names))
    assert lists[0] == lists[1]
