"""The admin command line as docs/admin.md writes it: `.venv/bin/gk-admin …` and `make admin ARGS=…`,
with no venv activated, make's own echo kept out of the output, and the documented exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.emulators import ROOT

GK_ADMIN = Path(sys.executable).parent / "gk-admin"


def _env() -> dict[str, str]:
    # No activated venv, no make of an outer run: as a user's own shell.
    drop = ("AWS_", "GK_", "VIRTUAL_ENV", "MAKE", "MFLAGS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    return env


def gk_admin(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(GK_ADMIN), *args], cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=60, check=False)


def make_admin(arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "admin", f"ARGS={arguments}"], cwd=ROOT, env=_env(), capture_output=True,
                          text=True, timeout=120, check=False)


def test_the_console_script_is_installed_and_works_from_anywhere(tmp_path: Path) -> None:
    done = gk_admin("--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: gk-admin ")
    assert "tokens" in done.stdout and "import" in done.stdout


def test_make_admin_writes_only_what_gk_admin_writes() -> None:
    done = make_admin("--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout == gk_admin("--help").stdout  # no echo of the command line before it


def test_a_usage_error_exits_2_and_a_failure_1() -> None:
    assert gk_admin("no-such-command").returncode == 2
    unreachable = gk_admin("tokens", "list", "--table", "gk-directory-nowhere", "--region", "eu-central-1",
                           "--endpoint-url", "http://127.0.0.1:9")
    assert unreachable.returncode == 1
    assert "Traceback" not in unreachable.stderr


def test_through_make_a_failure_is_makes_2_and_gk_admins_message_stays() -> None:
    done = make_admin("no-such-command")
    assert done.returncode == 2
    assert "No such command" in done.stderr
    assert done.stdout == ""
