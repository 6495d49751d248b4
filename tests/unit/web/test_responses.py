"""Conditional requests, cache headers and the error envelope."""

from __future__ import annotations

import json

import pytest

from chalicelib.domain.bodies import Body
from chalicelib.domain.errors import DirectoryUnavailable, NotFound
from chalicelib.domain.freshness import Freshness
from chalicelib.web.errors import error_response
from chalicelib.web.responses import every_header, matches_etag, respond

BODY = Body.of('{"name":"Kreis Steinfurt"}')
FRESH = Freshness(revision=7, stale=False, max_age=60)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, False),
        ("", False),
        ("*", True),
        (BODY.etag, True),
        ("W/" + BODY.etag, True),
        (f'"other", {BODY.etag}', True),
        ('"other"', False),
    ],
)
def test_if_none_match(header: str | None, expected: bool) -> None:
    assert matches_etag(header, BODY.etag) is expected


def test_respond_sets_cache_and_cors_headers() -> None:
    response = respond(BODY, {}, FRESH)
    assert response.status_code == 200
    for headers in (every_header(response), response.to_dict()["headers"]):  # as HEAD and Lambda see them
        assert headers["ETag"] == BODY.etag
        assert headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300"
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert headers["X-Directory-Revision"] == "7"
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        assert "X-Directory-Stale" not in headers


def test_an_answer_s_own_header_wins_over_a_shared_one() -> None:
    response = respond(BODY, {}, FRESH, extra_headers={"Cache-Control": "no-cache"})
    assert response.to_dict()["headers"]["Cache-Control"] == "no-cache"
    assert every_header(response)["Cache-Control"] == "no-cache"


def test_not_modified_has_no_body_but_keeps_validators() -> None:
    response = respond(BODY, {"if-none-match": BODY.etag}, Freshness(7, True, 60))
    assert response.status_code == 304
    assert response.body == ""
    headers = response.to_dict()["headers"]
    assert headers["ETag"] == BODY.etag
    assert headers["X-Directory-Stale"] == "true"
    assert "Content-Type" not in headers


def test_error_envelope() -> None:
    response = error_response(NotFound("no municipality 05999", {"id": "05999"}))
    assert response.status_code == 404
    assert json.loads(response.body) == {
        "error": {"code": "not_found", "message": "no municipality 05999", "details": {"id": "05999"}}
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_unavailable_asks_to_retry() -> None:
    response = error_response(DirectoryUnavailable("down"))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"


def test_a_header_is_found_whatever_its_case_and_an_absent_one_is_none() -> None:
    from chalice.app import CaseInsensitiveMapping

    from chalicelib.web.requests import header

    chalice_headers = CaseInsensitiveMapping({"If-None-Match": BODY.etag, "Accept": "*/*"})
    assert header(chalice_headers, "if-none-match") == BODY.etag
    assert header(chalice_headers, "authorization") is None
    assert header({"if-none-match": '"x"'}, "if-none-match") == '"x"'  # any other mapping: asked as usual
    assert header({}, "authorization") is None
    # A 304 follows the header in any spelling.
    assert respond(BODY, chalice_headers, FRESH).status_code == 304
