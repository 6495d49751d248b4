"""What the Makefile does that the README promises: the first run says it is installing and shows
pip's progress, and `make deploy-check` runs cfn-lint and the moto CloudFormation test.

A stub python (its `-m venv` makes a stub pip) stands in for the real install, so the test runs
the Makefile's real recipes in seconds and records what they call.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

STUB_PYTHON = """#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
    mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && cp "$STUB_PIP" "$3/bin/pip" && exit 0
fi
echo "python $*" >> "$STUB_LOG"
"""
STUB_PIP = """#!/bin/sh
echo "pip $*" >> "$STUB_LOG"
echo "Collecting chalice==1.34.0 (progress as pip shows it)"
"""


def _stub(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def make_run(tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log = tmp_path / "calls.log"
    log.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    env.update(STUB_LOG=str(log), STUB_PIP=str(_stub(tmp_path / "pip", STUB_PIP)))
    python = _stub(tmp_path / "python", STUB_PYTHON)
    done = subprocess.run(
        ["make", "run", f"VENV={tmp_path / 'venv'}", f"PYTHON={python}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    return done, log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_the_first_run_says_what_it_installs_and_shows_pips_progress(tmp_path: Path) -> None:
    done, calls = make_run(tmp_path)
    assert done.returncode == 0, done.stderr
    # On stderr, all of it: standard output stays the command's own (make admin ARGS="export" > file).
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0] == "installing Python packages into .venv, first run only — a few minutes"
    assert any(line.startswith("Collecting ") for line in lines)  # pip's own output reaches the terminal
    install = next(c for c in calls if "-r requirements-dev.txt" in c)
    assert "--quiet" not in install and " -q" not in install
    assert any(c.startswith("pip install") and "-e ." in c for c in calls)  # gk-admin, into .venv
    assert calls[-1].strip() == "python -m devtools.run_local"

    again, calls = make_run(tmp_path)
    assert "installing" not in again.stderr and not any("requirements-dev.txt" in c for c in calls)


def test_the_readme_gives_the_measured_range_of_the_first_install() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "first run only — a\nfew minutes" in readme or "first run only — a few minutes" in readme
    assert "100–330 s" in readme


def test_deploy_check_runs_cfn_lint_and_the_moto_cloudformation_test() -> None:
    planned = subprocess.run(["make", "-n", "-o", "package", "deploy-check"], cwd=ROOT, capture_output=True,
                             text=True, timeout=60, check=True).stdout.splitlines()
    assert any("cfn-lint build/package/sam.json" in line for line in planned)
    moto_test = "tests/package/test_table_on_cloudformation.py"
    assert any("pytest" in line and moto_test in line for line in planned)
    assert (ROOT / "tests" / "package" / "test_table_on_cloudformation.py").is_file()
