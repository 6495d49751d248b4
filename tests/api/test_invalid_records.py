"""Every 422 of the editing API lists its fields as JSON pointers, the reference checks' too.

Schemathesis found a PUT answered with the importer's {"loc", "msg"} items (or with no
errors at all for a contradiction of the reference table): the editing page places its
field errors by pointer, so every invalid write must say where.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import bootstrap
from tests.support.emulators import Api

STEINFURT = "05566"


@pytest.mark.parametrize(
    ("path", "body", "pointer"),
    [
        (f"/municipalities/{STEINFURT}", {}, "/participation"),
        (f"/municipalities/{STEINFURT}", {"participation": {"status": "maybe"}}, "/participation/status"),
        (
            f"/municipalities/{STEINFURT}",
            {"kind": "Gemeinde", "participation": {"status": "reported"}},
            "/kind",
        ),
        ("/municipalities/05999", {"participation": {"status": "reported"}}, "/id"),
    ],
)
def test_a_put_refused_by_the_models_or_the_reference_points_at_the_field(
    api: Api, path: str, body: dict[str, Any], pointer: str
) -> None:
    token, _ = bootstrap.tokens().create("admin", "invalid-records")
    headers = {"Authorization": f"Bearer {token}", "If-Match": "*", "Content-Type": "application/json"}
    response = api.request("PUT", path, headers, json.dumps(body).encode())
    assert response.status_code == 422
    errors = json.loads(response.body)["error"]["details"]["errors"]
    assert all(set(error) == {"pointer", "message", "type"} for error in errors)
    assert pointer in [error["pointer"] for error in errors]
