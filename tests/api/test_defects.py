"""Regressions of the defects issue, through Chalice's Lambda handler on a real moto server."""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.request
from typing import Any

import pytest
from pydantic import ValidationError

from chalicelib.write.models import Municipality
from tests.support.emulators import Api, LiveApi
from tests.support.icaljs import read_with_icaljs
from tests.support.synthetic import Synthetic
from tests.support.vcard_reading import unfold
from tests.support.worst_case import worst_case_record

STEINFURT = "05566"
HIERONIMUS = "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"


def error_of(response: Any) -> dict[str, Any]:
    envelope: dict[str, Any] = json.loads(response.body)["error"]
    return envelope


# -- 1. odd numbers -------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["/municipalities", "/vcards", f"/municipalities/{STEINFURT}/peers"])
@pytest.mark.parametrize("limit", ["%C2%B2", "%E2%91%A0", "%D9%A3", "%205", "9" * 5000])
def test_odd_limits_are_invalid_parameters_not_500s(api: Api, route: str, limit: str) -> None:
    response = api.get(f"{route}?limit={limit}")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_parameter"
    assert error["details"]["parameter"] == "limit"


@pytest.mark.parametrize(
    "query",
    ["near=%D9%A5%D9%A2,7&radius_km=10", "near=52,7&radius_km=1e2", "near=52,7&radius_km=" + "9" * 5000],
)
def test_odd_coordinates_are_invalid_parameters(api: Api, query: str) -> None:
    response = api.get(f"/municipalities?{query}")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_parameter"


# -- 2. unknown paths and methods answer in the envelope ----------------------------------

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
    assert error_of(response)["code"] == "not_found"
    assert set(error_of(response)) == {"code", "message", "details"}
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
    error = error_of(response)
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


# -- 3. HEAD answers as GET would, without the body ---------------------------------------

READ_PATHS = [
    "/",
    "/health",
    "/municipalities?q=steinfurt",
    f"/municipalities/{STEINFURT}",
    f"/municipalities/{STEINFURT}/peers?limit=2",
    "/offices/ki-kreis-steinfurt",
    f"/contacts/{HIERONIMUS}",
    f"/contacts/{HIERONIMUS}/vcard",
    f"/contacts/{HIERONIMUS}/qr.svg",
    "/offices/ki-kreis-steinfurt/vcard",
    f"/municipalities/{STEINFURT}/vcard",
    "/vcards?q=steinfurt",
    "/widget.js",
    "/demo",
    "/municipalities?limit=0",  # an error answers HEAD too
    "/nope",
]


def _comparable(headers: dict[str, str], path: str) -> dict[str, str]:
    # /health says its snapshot's age, so its length may differ by a digit between two answers.
    varying = ("date", "server", "content-length") if path == "/health" else ("date", "server")
    return {k.lower(): v for k, v in headers.items() if k.lower() not in varying}


@pytest.mark.parametrize("path", READ_PATHS)
def test_head_is_get_without_the_body_on_the_lambda_handler(api: Api, path: str) -> None:
    got = api.get(path, Host="127.0.0.1:8000")
    head = api.request("HEAD", path, {"Host": "127.0.0.1:8000"})
    assert head.status_code == got.status_code
    assert head.body == b""
    expected = _comparable(got.headers, path)
    if path != "/health":
        expected["content-length"] = str(len(got.body))
    assert _comparable(head.headers, path) == expected
    assert int(head.headers["Content-Length"]) > 0


def test_head_revalidates_like_get(api: Api) -> None:
    etag = api.get(f"/contacts/{HIERONIMUS}/vcard").headers["ETag"]
    head = api.request("HEAD", f"/contacts/{HIERONIMUS}/vcard", {"If-None-Match": etag})
    assert head.status_code == 304
    assert head.body == b""
    assert head.headers["ETag"] == etag


@pytest.mark.parametrize("path", [*READ_PATHS, "/nope/nowhere"])
def test_head_is_get_without_the_body_over_real_http(live_api: LiveApi, path: str) -> None:
    connection = http.client.HTTPConnection(live_api.url.removeprefix("http://"), timeout=10)
    try:
        connection.request("GET", path)
        got = connection.getresponse()
        got_body = got.read()
        connection.request("HEAD", path)
        head = connection.getresponse()
        assert head.read() == b""
        assert head.status == got.status
        assert _comparable(dict(head.getheaders()), path) == _comparable(dict(got.getheaders()), path)
        if path != "/health":
            assert head.getheader("Content-Length") == str(len(got_body))
        # The connection is still in step: a body after HEAD would be read as the next answer.
        connection.request("GET", "/health")
        after = connection.getresponse()
        assert after.status == 200
        assert json.loads(after.read())["status"] == "ok"
    finally:
        connection.close()


# -- 5. a download without a card is a 404 ------------------------------------------------

MUENSTER = "05515"  # a participant without a published office: no card to give


@pytest.mark.parametrize(
    "path",
    [f"/municipalities/{MUENSTER}/vcard", "/vcards?q=zzzzzz", "/vcards?q=m%C3%BCnster&kind=kreisfreie+Stadt"],
)
@pytest.mark.parametrize("accept", ["text/vcard", "application/vcard+json"])
def test_a_download_without_cards_is_a_404_envelope(api: Api, path: str, accept: str) -> None:
    response = api.get(path, Accept=accept)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert "Content-Disposition" not in response.headers
    assert response.headers[CORS_ORIGIN] == "*"


def test_the_json_links_no_download_without_cards(api: Api) -> None:
    detail = json.loads(api.get(f"/municipalities/{MUENSTER}").body)
    assert detail["offices"] == []
    assert "vcard" not in detail["links"]
    found = json.loads(api.get("/municipalities?q=m%C3%BCnster").body)["items"]
    assert "vcard" not in next(item for item in found if item["id"] == MUENSTER)["links"]
    steinfurt = json.loads(api.get(f"/municipalities/{STEINFURT}").body)
    assert steinfurt["links"]["vcard"] == f"/municipalities/{STEINFURT}/vcard"
    assert api.get(steinfurt["links"]["vcard"]).status_code == 200


# -- 7. no bidi controls in download names ----------------------------------------------------


def test_download_names_carry_no_bidi_controls(api: Api) -> None:
    synthetic = Synthetic(seed=77)
    record = synthetic.municipality(contacts=1)
    contact = record["offices"][0]["contacts"][0]
    contact.update(given_name="Anna")
    with pytest.raises(ValidationError):  # the write path refuses bidi controls now (issue 16 item 5) ...
        Municipality.model_validate({**record, "name": "Stadt \u202eKleve"})
    # ... and a name stored before that rule still reaches no download name
    valid = Municipality.model_validate(record)
    spoofed = valid.offices[0].contacts[0].model_copy(update={"family_name": "Rechnung\u202efdp.exe"})
    office = valid.offices[0].model_copy(update={"contacts": [spoofed]})
    api.writer.create(valid.model_copy(update={"offices": [office]}))
    response = api.get(f"/contacts/{contact['id']}/vcard")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert "%E2%80%AE" not in disposition
    assert disposition.endswith("filename*=UTF-8''Rechnungfdp.exe_Anna.vcf")


# -- 6. every public contact gets a QR code --------------------------------------------------


def test_the_largest_contact_gets_a_qr_code_not_a_422(api: Api) -> None:
    api.writer.create(Municipality.model_validate(worst_case_record()))
    response = api.get("/contacts/c-worst/qr.svg")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml"
    assert b'fill="#fff"' in response.body


# -- 14. phone extensions survive into JSON and cards -------------------------------------------


def test_a_phone_extension_reaches_json_vcard_and_jcard(api: Api) -> None:
    synthetic = Synthetic(seed=14)
    record = synthetic.municipality(contacts=1)
    contact = record["offices"][0]["contacts"][0]
    contact["phone"] = "+49 2162 391234 ext. 89"
    api.writer.create(Municipality.model_validate(record))
    shown = json.loads(api.get(f"/contacts/{contact['id']}").body)
    assert shown["phone"] == "+492162391234;ext=89"
    assert shown["phone_display"] == "+49 2162 391234 ext. 89"
    text = api.get(f"/contacts/{contact['id']}/vcard").body.decode()
    assert "TEL;TYPE=WORK,VOICE:+49 2162 391234 ext. 89" in unfold(text).split("\r\n")
    (read,) = read_with_icaljs(text)
    assert "+49 2162 391234 ext. 89" in [p.value for p in read if p.name == "tel"]
    jcard = json.loads(api.get(f"/contacts/{contact['id']}/vcard", Accept="application/vcard+json").body)
    assert ["tel", {"type": ["work", "voice"]}, "uri", "tel:+49-2162-391234;ext=89"] in jcard[1]


# -- 18. documentation that matches behaviour --------------------------------------------------


@pytest.mark.parametrize(
    ("path", "first_unknown"),
    [("/municipalities?zeta=1&q=x&alpha=2", "zeta"), (f"/contacts/{HIERONIMUS}/vcard?format=x", "format")],
)
def test_unknown_parameter_names_the_first_unknown_one(api: Api, path: str, first_unknown: str) -> None:
    response = api.get(path)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "unknown_parameter"
    assert error["details"]["parameter"] == first_unknown
    assert first_unknown in error["details"]["unknown"]


# -- 15. non-ASCII query strings over real HTTP ---------------------------------------------------


def raw_get(live_api: LiveApi, target: bytes) -> tuple[int, bytes]:
    """A request line as curl sends it for a literal 'ö': raw UTF-8 octets, not percent-encoded."""
    host, port = live_api.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"GET " + target + b" HTTP/1.1\r\nHost: " + host.encode() + b"\r\nConnection: close\r\n\r\n"
        )
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def test_a_literal_umlaut_in_the_query_finds_the_place(live_api: LiveApi) -> None:
    status, body = raw_get(live_api, "/municipalities?q=Mönchengladbch".encode())
    assert status == 200
    result = json.loads(body)
    assert [item["name"] for item in result["items"]][:1] == ["Stadt Mönchengladbach"]
    assert result["links"]["self"] == "/municipalities?q=M%C3%B6nchengladbch"


def test_a_percent_encoded_umlaut_still_works(live_api: LiveApi) -> None:
    status, body = raw_get(live_api, b"/municipalities?q=M%C3%B6nchengladbch")
    assert status == 200
    assert json.loads(body)["links"]["self"] == "/municipalities?q=M%C3%B6nchengladbch"


def test_octets_that_are_not_utf_8_do_not_break_the_server(live_api: LiveApi) -> None:
    status, body = raw_get(live_api, b"/municipalities?q=M\xf6nchengladbach")
    assert status == 200
    assert "items" in json.loads(body)
