"""In Lambda the garbage collector waits through the cold start and is back after the first answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import gc, json
from app import app
after_import = gc.isenabled()
event = {"resource": "/{proxy+}", "path": "/nowhere", "httpMethod": "GET",
         "headers": {"Accept": "*/*"}, "multiValueHeaders": {},
         "queryStringParameters": None, "multiValueQueryStringParameters": None,
         "pathParameters": {"proxy": "nowhere"}, "stageVariables": None,
         "body": None, "isBase64Encoded": False,
         "requestContext": {"resourcePath": "/{proxy+}", "httpMethod": "GET", "stage": "api",
                            "path": "/api/nowhere"}}
status = app(event, None)["statusCode"]
print(json.dumps({"after_import": after_import, "status": status, "after_answer": gc.isenabled(),
                  "frozen": gc.get_freeze_count()}))
"""


def _probe(**env: str) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if k != "AWS_LAMBDA_FUNCTION_NAME"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "GK_TABLE_NAME": "gk-collector-test", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_in_lambda_the_collector_waits_for_the_first_answer_then_freezes_what_lives() -> None:
    seen = _probe(AWS_LAMBDA_FUNCTION_NAME="gk-directory-test")
    assert seen["after_import"] is False
    assert seen["status"] == 404
    assert seen["after_answer"] is True
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 10_000  # the modules, out of its reach


@pytest.mark.parametrize("env", [{}, {"AWS_LAMBDA_FUNCTION_NAME": ""}])
def test_outside_lambda_the_collector_is_never_held(env: dict[str, str]) -> None:
    seen = _probe(**env)
    assert seen["after_import"] is True and seen["frozen"] == 0
