"""`make deploy` runs the commands docs/deploy.md shows, exactly — against a stub `aws` on PATH
that records its arguments (nothing here reaches AWS)."""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deploy.md"
BUCKET = "gk-directory-artifacts-123456789012"
TOPIC = "arn:aws:sns:eu-central-1:123456789012:gk-alarms"

STUB = """#!/usr/bin/env python3
import json, os, sys
with open(os.environ["AWS_STUB_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
"""


def documented_commands(topic: str | None) -> list[list[str]]:
    """The `aws cloudformation` commands of the guide's block after "runs exactly", as argv lists."""
    text = GUIDE.read_text(encoding="utf-8")
    after = text[text.index("runs exactly") :]
    block = re.search(r"```sh\n(.*?)```", after, re.S)
    assert block is not None
    commands = []
    for line in block.group(1).replace("\\\n", " ").splitlines():
        words = shlex.split(line.replace('"$BUCKET"', BUCKET).replace('"$ALARM_TOPIC"', topic or ""))
        if topic is None:  # documented: without ALARM_TOPIC the overrides are left out
            words = [w for w in words if w != "--parameter-overrides" and w != "AlarmTopicArn="]
        if words:
            assert words[0] == "aws"
            commands.append(words[1:])
    return commands


def run_deploy(tmp_path: Path, *variables: str) -> subprocess.CompletedProcess[str]:
    stub = tmp_path / "bin" / "aws"
    stub.parent.mkdir()
    stub.write_text(STUB, encoding="utf-8")
    stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "PATH": f"{stub.parent}{os.pathsep}{os.environ['PATH']}",
           "AWS_STUB_LOG": str(tmp_path / "aws.log")}
    # -o package: the package is built and checked by tests/package; here only the aws commands count.
    return subprocess.run(
        ["make", "--no-print-directory", "-o", "package", "deploy", *variables],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def recorded(tmp_path: Path) -> list[list[str]]:
    log = tmp_path / "aws.log"
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


@pytest.mark.parametrize("topic", [TOPIC, None], ids=["with-alarm-topic", "without"])
def test_make_deploy_runs_the_documented_commands(tmp_path: Path, topic: str | None) -> None:
    variables = ["STAGE=prod", f"BUCKET={BUCKET}", *([f"ALARM_TOPIC={topic}"] if topic else [])]
    done = run_deploy(tmp_path, *variables)
    assert done.returncode == 0, done.stderr
    assert recorded(tmp_path) == documented_commands(topic)


def test_make_deploy_without_a_bucket_runs_nothing(tmp_path: Path) -> None:
    done = run_deploy(tmp_path, "STAGE=prod")
    assert done.returncode != 0
    assert "usage: make deploy STAGE=" in done.stderr
    assert recorded(tmp_path) == []


def test_the_guide_names_the_region_on_every_aws_command() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = "\n".join(re.findall(r"```sh\n(.*?)```", text, re.S)).replace("\\\n", " ")
    commands = [line.split("#")[0] for line in blocks.splitlines() if re.match(r"\s*(\w+=\$\()?aws ", line)]
    global_services = ("aws iam ", "aws sts ")  # IAM and STS have no region
    regional = [c for c in commands if not c.lstrip().startswith(global_services)]
    assert regional and all("--region" in c for c in regional)
