"""A read is never refused for the Content-Type it names; a write still is, in the envelope."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import bootstrap
from tests.support.emulators import Api

STEINFURT = "05566"


def request(api: Api, method: str, path: str, **headers: str) -> Any:
    return api.request(method, path, headers)


@pytest.mark.parametrize(
    "path", ["/", "/health", "/municipalities", f"/municipalities/{STEINFURT}", "/vcards", "/widget.js"]
)
@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "text/plain", "application/x-www-form-urlencoded"]
)
def test_a_read_answers_whatever_content_type_it_names(api: Api, path: str, content_type: str) -> None:
    # Schemathesis found Chalice's own 415 ({"Code": "UnsupportedMediaType"}) on every GET.
    assert request(api, "GET", path, **{"Content-Type": content_type}).status_code == 200


def test_a_write_with_another_media_type_is_a_415_in_the_envelope(api: Api) -> None:
    token, _ = bootstrap.tokens().create("admin", "content-type")
    headers = {"Content-Type": "text/plain", "Authorization": f"Bearer {token}", "If-Match": "*"}
    response = request(api, "PATCH", f"/municipalities/{STEINFURT}", **headers)
    assert response.status_code == 415
    assert json.loads(response.body)["error"]["code"] == "unsupported_media_type"
