"""Forged cursors are a 400 invalid_parameter on every route that takes one, never a 500.

Each forgery starts from a genuine cursor of the route (so it carries the right query
fingerprint and reaches the key checks) and changes what a client can change.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

import pytest

from chalicelib.domain.cursor import MAX_CURSOR_LENGTH, encode_cursor, fingerprint_of
from tests.support.emulators import Api

# Every route (and query shape) that hands out and takes cursors.
CURSOR_ROUTES = [
    "/changes?since=0&limit=1",
    "/municipalities?limit=1",
    "/municipalities?q=kreis&limit=1",
    "/municipalities?near=51.96,7.62&limit=1",
    "/municipalities?near=51.96,7.62&radius_km=300&limit=1",
]


def _decode(cursor: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return data


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _with_first_key(genuine: dict[str, Any], literal: str) -> str:
    """The genuine cursor's JSON with its first key element replaced by a literal text."""
    rest = json.dumps(genuine["k"][1:])[1:-1]
    return '{{"f":{},"k":[{},{}]}}'.format(json.dumps(genuine["f"]), literal, rest)


def _forgeries(genuine: dict[str, Any]) -> dict[str, str]:
    fingerprint = json.dumps(genuine["f"])
    nested = "[" * 5000 + "]" * 5000
    return {
        "Infinity": _encode(_with_first_key(genuine, "Infinity")),
        "-Infinity": _encode(_with_first_key(genuine, "-Infinity")),
        "NaN": _encode(_with_first_key(genuine, "NaN")),
        "1e309": _encode(_with_first_key(genuine, "1e309")),
        "-1e309": _encode(_with_first_key(genuine, "-1e309")),
        "nested key element": _encode(_with_first_key(genuine, nested)),
        "nested key": _encode(f'{{"f":{fingerprint},"k":{nested}}}'),
        "too long": _encode(_with_first_key(genuine, "1" + "0" * 600)),
        "boolean": _encode(_with_first_key(genuine, "true")),
        "wrong length": _encode(json.dumps({"f": genuine["f"], "k": [*genuine["k"], "x"]})),
    }


@pytest.mark.parametrize("route", CURSOR_ROUTES)
def test_every_forged_cursor_is_a_400(api: Api, route: str) -> None:
    first = api.get(route)
    assert first.status_code == 200, first.body
    genuine_cursor = json.loads(first.body)["next_cursor"]
    assert genuine_cursor, route
    # The genuine cursor works: the forgeries below differ from it only in what they forge.
    assert api.get(f"{route}&cursor={quote(genuine_cursor)}").status_code == 200
    for name, forged in _forgeries(_decode(genuine_cursor)).items():
        response = api.get(f"{route}&cursor={quote(forged)}")
        assert response.status_code == 400, (route, name, response.status_code)
        error = json.loads(response.body)["error"]
        assert error["code"] == "invalid_parameter", (route, name)
        assert forged not in response.body.decode(), (route, name)


def test_changes_caps_the_cursor_length_like_municipalities(api: Api) -> None:
    # Well-formed but longer than any cursor the service hands out.
    long_id = "c-" + "0" * MAX_CURSOR_LENGTH
    forged = encode_cursor((1, "contact", long_id), fingerprint_of(("changes", 0)))
    assert len(forged) > MAX_CURSOR_LENGTH
    response = api.get(f"/changes?since=0&cursor={forged}")
    assert response.status_code == 400
    assert json.loads(response.body)["error"]["code"] == "invalid_parameter"
