"""GET /edit/session: whom a token belongs to, behind the token authorizer."""

from __future__ import annotations

import json
from typing import Any

from chalicelib import bootstrap
from tests.support.emulators import Api


def session(api: Api, **headers: str) -> Any:
    return api.get("/edit/session", **headers)


def test_a_municipality_token_names_its_municipality(api: Api) -> None:
    token, record = bootstrap.tokens().create("municipality:05566", "KI Kreis Steinfurt")
    response = session(api, Authorization=f"Bearer {token}")
    assert response.status_code == 200
    assert json.loads(response.body) == {
        "label": "KI Kreis Steinfurt", "scope": "municipality:05566", "municipality": "05566",
    }
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "Access-Control-Allow-Origin" not in response.headers
    assert token not in response.body.decode() and record.token_hash not in response.body.decode()


def test_an_admin_token_has_no_municipality(api: Api) -> None:
    token, _ = bootstrap.tokens().create("admin", "Initiative")
    assert json.loads(session(api, Authorization=f"Bearer {token}").body) == {
        "label": "Initiative", "scope": "admin", "municipality": None,
    }


def test_without_a_valid_token_it_is_401_in_the_envelope(api: Api) -> None:
    for headers in ({}, {"Authorization": "Bearer gk_" + "A" * 43}, {"Authorization": "Basic abc"}):
        response = session(api, **headers)
        assert response.status_code == 401, headers
        assert json.loads(response.body)["error"]["code"] in ("unauthenticated", "unauthorized")


def test_a_revoked_token_is_refused_at_once(api: Api) -> None:
    token, record = bootstrap.tokens().create("municipality:05566", "revoked soon")
    assert session(api, Authorization=f"Bearer {token}").status_code == 200
    bootstrap.tokens().revoke(record.token_id)
    assert session(api, Authorization=f"Bearer {token}").status_code == 401


def test_unknown_parameters_are_refused(api: Api) -> None:
    token, _ = bootstrap.tokens().create("admin", "Initiative")
    response = api.get("/edit/session?token=x", Authorization=f"Bearer {token}")
    assert response.status_code == 400
    assert json.loads(response.body)["error"]["code"] == "unknown_parameter"


def _authorised_get_paths() -> list[str]:
    from app import app

    return sorted(path for path, routes in app.routes.items() if "GET" in routes and routes["GET"].authorizer)


def test_every_authorised_route_answers_head_like_get(api: Api) -> None:
    """HEAD twins sit behind the GET route's authorizer: a valid token is no 401 on HEAD."""
    from app import app

    paths = _authorised_get_paths()
    assert paths, "no authorised GET route found"
    token, _ = bootstrap.tokens().create("admin", "Initiative")
    for path in paths:
        head_route = app.routes[path]["HEAD"]
        assert head_route.authorizer is app.routes[path]["GET"].authorizer, path
        concrete = path.replace("{municipality_id}", "05566")
        got = api.get(concrete, Authorization=f"Bearer {token}")
        head = api.request("HEAD", concrete, {"Authorization": f"Bearer {token}"})
        assert got.status_code == 200, path
        assert head.status_code == got.status_code, path
        assert head.body == b"", path
        unauthorised = api.request("HEAD", concrete)
        assert unauthorised.status_code == 401, path
