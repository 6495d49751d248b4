"""The test suite's own layout: unit tests mirror chalicelib, shared helpers come from tests/support."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"


def _folders(path: Path) -> set[str]:
    return {p.name for p in path.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}


def _imported(path: Path) -> list[str]:
    """Every module an import statement in the file names, relative ones with their dots."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names.append(module)
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_the_kinds_of_tests_are_the_known_ones() -> None:
    # package: the built deployment package, offline (infra/); e2e: the live service end to end;
    # docs: what README.md and docs/ say is true (paths, links, commands, make targets, figures)
    assert _folders(TESTS) <= {"unit", "contract", "api", "browser", "package", "e2e", "support", "docs"}
    assert {"unit", "contract", "api", "browser", "support"} <= _folders(TESTS)


def test_unit_test_folders_mirror_the_packages() -> None:
    packages = {p.name for p in (ROOT / "chalicelib").iterdir() if (p / "__init__.py").is_file()}
    # storage is tested through its contract, against both DynamoDB emulators (tests/contract);
    # admin/ (the command line, outside chalicelib) has its unit tests beside the others.
    assert _folders(TESTS / "unit") == (packages - {"storage"}) | {"admin"}


def test_nothing_imports_a_conftest() -> None:
    # pytest loads conftest files itself; what tests share lives in tests/support.
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in _imported(path)
        if name.rsplit(".", 1)[-1] == "conftest"
    ]
    assert offenders == []
