"""The layer rules in pyproject.toml hold, and they would catch a breach."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree, capture_output=True, text=True, check=False, timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for package in ("chalicelib", "devtools", "admin", "localservice"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_layers_are_kept(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        ("chalicelib/domain/leak.py", "import chalice\n", "the domain is pure"),
        ("chalicelib/domain/leak.py", "from chalicelib.web import responses\n", "chalicelib is layered"),
        ("chalicelib/cards/leak.py", "from chalicelib.storage import store\n", "never touch DynamoDB"),
        ("chalicelib/web/leak.py", "from devtools import emulator\n", "development-only code"),
        ("chalicelib/write/leak.py", "from admin import formats\n", "development-only code"),
        ("chalicelib/web/leak.py", "import localservice\n", "development-only code"),
        ("admin/leak.py", "from devtools import emulator\n", "never imports development tooling"),
        ("localservice/leak.py", "import devtools\n", "never imports development tooling"),
        ("chalicelib/routes/leak.py", "from chalicelib.domain import cursor\n", "routes only route"),
        ("chalicelib/routes/leak.py", "from urllib.parse import urlencode\n", "routes only route"),
        ("chalicelib/write/editor.py", "from . import importer\n", "neither the import nor the bulk writer"),
    ],
)
def test_a_breach_breaks_a_contract(tree: Path, module: str, source: str, contract: str) -> None:
    (tree / module).write_text(source, encoding="utf-8")
    result = _lint(tree)
    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(contract in line for line in broken), result.stdout
