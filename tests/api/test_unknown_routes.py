"""Unknown paths are 404s and wrong methods 405s (with Allow), in the envelope, with CORS:
through the test client, on the Lambda handler as API Gateway calls it, and over real HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.support.emulators import Api, LiveApi
from tests.support.envelopes import error_of

STEINFURT = "05566"
HIERONIMUS = "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"


CORS_ORIGIN = "Access-Control-Allow-Origin"


def gateway_event(method: str, resource: str, path: str, path_parameters: dict[str, str]) -> dict[str, Any]:
    """What API Gateway hands the function for a request it routed to `resource`."""
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": {"Host": "abc123.execute-api.eu-central-1.amazonaws.com", "X-Forwarded-Proto": "https"},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "path": "/api" + path,
            "stage": "api",
        },
        "body": None,
        "isBase64Encoded": False,
    }


@pytest.mark.parametrize("path", ["/nope", "/municipalities.json", "/widget.css"])
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_unknown_paths_are_404_envelopes_through_the_test_client(api: Api, path: str, method: str) -> None:
    response = api.request(method, path)
    assert response.status_code == 404
    assert error_of(response, 404)["code"] == "not_found"
    assert set(error_of(response, 404)) == {"code", "message", "details"}
    assert response.headers[CORS_ORIGIN] == "*"


@pytest.mark.parametrize("path", ["/a/b", "/contacts/x/y/z", "/municipalities/05566/vcard/extra"])
def test_unknown_deep_paths_are_404_envelopes_on_the_lambda_handler(api: Api, path: str) -> None:
    from app import app

    result = app(gateway_event("GET", "/{proxy+}", path, {"proxy": path[1:]}), None)
    assert result["statusCode"] == 404
    assert json.loads(result["body"])["error"]["code"] == "not_found"
    assert result["headers"][CORS_ORIGIN] == "*"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", f"/municipalities/{STEINFURT}"),  # it has GET, PUT, PATCH and DELETE
        ("POST", "/municipalities"),
        ("PUT", f"/contacts/{HIERONIMUS}/vcard"),
        ("PATCH", "/health"),
        ("POST", "/"),
    ],
)
def test_wrong_methods_are_405_envelopes_with_allow(api: Api, method: str, path: str) -> None:
    response = api.request(method, path, {"Content-Type": "text/plain"}, b"x")
    assert response.status_code == 405
    error = error_of(response, 405)
    assert error["code"] == "method_not_allowed"
    assert error["details"]["method"] == method
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert {"GET", "OPTIONS"} <= allowed
    assert method not in allowed
    assert response.headers[CORS_ORIGIN] == "*"


def test_the_catch_all_shadows_no_real_route(api: Api) -> None:
    from app import app

    for path, methods in app.routes.items():
        if "{proxy+}" in path or "GET" not in methods or methods["GET"].view_name.startswith("refuse"):
            continue  # no GET of its own (a write-only path): its GET is the 405
        concrete = path.replace("{municipality_id}", STEINFURT).replace("{contact_id}", HIERONIMUS)
        concrete = concrete.replace("{office_id}", "ki-kreis-steinfurt")
        response = api.get(concrete)
        if methods["GET"].authorizer is not None:  # a read for token holders (/edit/session)
            assert response.status_code == 401, (path, response.body[:200])
            continue
        assert response.status_code == 200, (path, response.body[:200])


def live(live_api: LiveApi, method: str, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """One request over real HTTP; errors are answers too."""
    request = urllib.request.Request(live_api.url + path, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize(
    "path", ["/nope", "/a/b/c", "/contacts/x/y/z", f"/municipalities/{STEINFURT}/vcard/x"]
)
def test_unknown_paths_are_404_envelopes_over_real_http(live_api: LiveApi, path: str) -> None:
    status, headers, raw = live(live_api, "GET", path)
    assert status == 404
    assert json.loads(raw)["error"]["code"] == "not_found"
    assert headers[CORS_ORIGIN] == "*"


def test_wrong_methods_are_405_envelopes_over_real_http(live_api: LiveApi) -> None:
    status, headers, raw = live(live_api, "POST", f"/municipalities/{STEINFURT}")
    assert status == 405
    assert json.loads(raw)["error"]["code"] == "method_not_allowed"
    assert "GET" in headers["Allow"]
    assert headers[CORS_ORIGIN] == "*"
