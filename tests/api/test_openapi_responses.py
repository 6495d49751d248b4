"""Real responses of every route, errors included, hold to the document's schemas.

Requests go through Chalice's test client (the Lambda handler, with the gateway's own
answers emulated by devtools/local_gateway) on a moto table loaded with data/; each
response is checked with jsonschema against the committed openapi.json. At the end of a
run in which this whole module passed, tests/api/conftest.py checks that these requests
reached every documented operation, and fails the run if one was left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib import bootstrap
from devtools.emulator import MotoServer
from tests.support.emulators import Api, configure_service
from tests.support.openapi import (
    REACHED,
    Checked,
    check_response,
    documented_operations,
    unreached_operations,
    validate,
)

STEINFURT = "05566"
OFFICE = "ki-kreis-steinfurt"
CONTACT = "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"
JCARD = "application/vcard+json"
JSON = "application/json"

# Every check made here lands in REACHED; once the whole module has run, tests/api/conftest.py
# fails the run if some documented operation was never reached.


class Caller:
    def __init__(self, api: Api) -> None:
        self.api = api

    def __call__(
        self, method: str, path: str, body: Any = None, raw: str | None = None, **headers: str
    ) -> Any:
        if body is not None:
            raw = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        response = self.api.request(method, path, headers, (raw or "").encode("utf-8"))
        REACHED.add(check_response(method, path, response.status_code, response.headers, response.body))
        return response


@pytest.fixture
def call(api: Api) -> Caller:
    return Caller(api)


@pytest.fixture
def admin(api: Api) -> str:
    token, _ = bootstrap.tokens().create("admin", "openapi-admin")
    return "Bearer " + token


@pytest.fixture
def steinfurt_token(api: Api) -> str:
    token, _ = bootstrap.tokens().create(f"municipality:{STEINFURT}", "openapi-steinfurt")
    return "Bearer " + token


READS = [
    "/",
    "/health",
    "/municipalities",
    "/municipalities?q=steinfurt",
    "/municipalities?near=52.1,7.4&radius_km=60&limit=3",
    "/municipalities?kind=Kreis&regierungsbezirk=M%C3%BCnster&topic=Integration&language=de",
    f"/municipalities/{STEINFURT}",
    f"/municipalities/{STEINFURT}/peers",
    "/municipalities/05515/peers?limit=1",
    f"/offices/{OFFICE}",
    f"/contacts/{CONTACT}",
    "/changes",
    "/changes?since=0&limit=1",
    f"/municipalities/{STEINFURT}/vcard",
    f"/offices/{OFFICE}/vcard",
    f"/contacts/{CONTACT}/vcard",
    f"/contacts/{CONTACT}/qr.svg",
    "/vcards?q=steinfurt",
    "/widget.js",
    "/widget-map.json",
    *(f"/widget-i18n/{lang}.json" for lang in ("de", "en", "ar", "fa", "uk", "tr")),
    "/demo",
    "/openapi.json",
    "/edit",
    "/edit.js",
    "/edit.css",
    *(f"/edit-i18n/{lang}.json" for lang in ("de", "en", "ar", "fa", "uk", "tr")),
]


@pytest.mark.parametrize("path", READS)
def test_reads_and_their_304s(call: Caller, path: str) -> None:
    first = call("GET", path)
    assert first.status_code == 200
    assert call("HEAD", path).status_code == 200  # HEAD mirrors GET: its operation is GET's
    if "ETag" in first.headers:
        assert call("GET", path, **{"If-None-Match": first.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize(
    "path", [f"/municipalities/{STEINFURT}/vcard", f"/contacts/{CONTACT}/vcard", "/vcards"]
)
def test_jcards(call: Caller, path: str) -> None:
    assert call("GET", path, Accept=JCARD).status_code == 200


def test_next_pages(call: Caller) -> None:
    page = json.loads(call("GET", "/municipalities?limit=2").body)
    assert call("GET", page["links"]["next"]).status_code == 200
    changes = json.loads(call("GET", "/changes?limit=2").body)
    assert call("GET", changes["links"]["next"]).status_code == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/?x=1", 400),
        ("/health?x=1", 400),
        ("/municipalities?color=blue", 400),
        ("/municipalities?limit=0", 400),
        ("/municipalities?near=95,7", 400),
        ("/municipalities/abc", 400),
        ("/municipalities/05999", 404),
        ("/municipalities/05999/peers", 404),
        ("/municipalities/abc/peers", 400),
        ("/municipalities/05999/vcard", 404),
        ("/offices/no-such-office", 404),
        ("/offices/no-such-office/vcard", 404),
        ("/contacts/c-0000", 404),
        ("/contacts/c-0000/qr.svg", 404),
        ("/contacts/..%2F..", 400),
        ("/vcards?limit=5", 400),
        ("/vcards?q=zzzzzzzz", 404),
        ("/changes?since=-1", 400),
        ("/changes?cursor=nonsense", 400),
    ],
)
def test_read_errors(call: Caller, path: str, status: int) -> None:
    assert call("GET", path).status_code == status


@pytest.mark.parametrize(("method", "path"), [("GET", "/no/such/path"), ("GET", "/municipalities/05566/x")])
def test_an_unknown_path_is_a_documented_404(api: Api, method: str, path: str) -> None:
    response = api.request(method, path)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/json")
    validate(
        json.loads(response.body),
        {"$ref": "#/components/responses/NotFound/content/application~1json/schema"},
    )


@pytest.mark.parametrize("path", [f"/contacts/{CONTACT}/vcard", "/vcards", f"/offices/{OFFICE}/vcard"])
def test_not_acceptable(call: Caller, path: str) -> None:
    assert call("GET", path, Accept="text/html").status_code == 406


@pytest.mark.parametrize(
    "path", [f"/municipalities/{STEINFURT}", f"/offices/{OFFICE}", f"/contacts/{CONTACT}"]
)
def test_editable_reads(call: Caller, admin: str, path: str) -> None:
    assert call("GET", path, Authorization=admin).status_code == 200
    assert call("GET", path, Authorization="Bearer gk_not-a-token").status_code == 401


def test_the_editing_session(call: Caller, admin: str, steinfurt_token: str) -> None:
    assert call("GET", "/edit/session", Authorization=admin).status_code == 200
    assert (
        json.loads(call("GET", "/edit/session", Authorization=steinfurt_token).body)["municipality"]
        == STEINFURT
    )
    assert call("GET", "/edit/session", Authorization="Bearer gk_nope").status_code == 401
    assert call("GET", "/edit/session").status_code == 401  # the gateway: no Authorization
    assert call("GET", "/edit/session?x=1", Authorization=admin).status_code == 400


def test_the_admins_report(call: Caller, admin: str, steinfurt_token: str) -> None:
    assert call("GET", "/edit/report", Authorization=admin).status_code == 200
    assert call("GET", "/edit/report", Authorization=steinfurt_token).status_code == 403
    assert call("GET", "/edit/report?x=1", Authorization=admin).status_code == 400


def test_a_scope_that_does_not_cover_the_entry(call: Caller, steinfurt_token: str) -> None:
    assert call("GET", "/municipalities/05515", Authorization=steinfurt_token).status_code == 403
    assert (
        call(
            "DELETE", "/municipalities/05515", Authorization=steinfurt_token, **{"If-Match": "*"}
        ).status_code
        == 403
    )


def test_writes_and_their_answers(call: Caller, admin: str) -> None:
    auth = {"Authorization": admin, "If-Match": "*"}
    contact = call("PATCH", f"/contacts/{CONTACT}", {"function": "Koordination"}, **auth)
    assert contact.status_code == 200
    office = call("PATCH", f"/offices/{OFFICE}", {"role": "Koordination"}, **auth)
    assert office.status_code == 200
    municipality = call("PATCH", f"/municipalities/{STEINFURT}", {"website": "https://example.org/"}, **auth)
    assert municipality.status_code == 200
    record = json.loads(call("GET", f"/municipalities/{STEINFURT}", Authorization=admin).body)
    assert call("PUT", f"/municipalities/{STEINFURT}", record, **auth).status_code == 200
    assert call("POST", f"/municipalities/{STEINFURT}/confirmation", **auth).status_code == 200
    added = call("POST", f"/municipalities/{STEINFURT}/offices", {"name": "Ausländerbehörde"}, **auth)
    assert added.status_code == 201
    new_office = json.loads(added.body)["id"]
    person = {"given_name": "Erika", "family_name": "Beispiel", "phone": "+49 251 1234567", "public": True}
    new_contact = call("POST", f"/offices/{new_office}/contacts", person, **auth)
    assert new_contact.status_code == 201
    assert call("DELETE", f"/contacts/{json.loads(new_contact.body)['id']}", **auth).status_code == 204
    assert call("DELETE", f"/offices/{new_office}", **auth).status_code == 204
    # A synthetic Gemeinde of Kreis Steinfurt: the Regierungsbezirk comes from its Kreis.
    record = {
        "participation": {"status": "reported"},
        "name": "Gemeinde Beispiel",
        "seat": "Beispiel",
        "kind": "Gemeinde",
        "coordinates": {"lat": 52.2, "lon": 7.5},
    }
    created = call("PUT", "/municipalities/05566999", record, Authorization=admin, **{"If-None-Match": "*"})
    assert created.status_code == 201
    assert call("DELETE", "/municipalities/05111", **auth).status_code == 204


def test_write_errors(call: Caller, admin: str) -> None:
    path = f"/contacts/{CONTACT}"
    auth = {"Authorization": admin}
    writable = {**auth, "If-Match": "*"}
    assert call("PATCH", path, {"function": "x"}).status_code == 401  # the gateway: no Authorization
    assert call("PATCH", path, {"function": "x"}, Authorization="Bearer gk_nope").status_code == 401
    assert call("PATCH", path, {"function": "x"}, **auth).status_code == 428
    assert call("PATCH", path, {"function": "x"}, **{**auth, "If-Match": '"stale"'}).status_code == 412
    assert call("PATCH", path, {"phone": "not a number"}, **writable).status_code == 422
    assert call("PATCH", path, [1, 2], **writable).status_code == 422
    assert call("PATCH", path, raw="x", **writable, **{"Content-Type": "text/plain"}).status_code == 415
    assert call("PATCH", path, raw="{", **writable, **{"Content-Type": JSON}).status_code == 400
    deep = "[" * 5000 + "]" * 5000  # a RecursionError once: a 500 outside the envelope
    assert call("PATCH", path, raw=deep, **writable, **{"Content-Type": JSON}).status_code == 400
    assert call("PATCH", path, {"function": "x" * 70_000}, **writable).status_code == 413
    assert call("PATCH", "/contacts/c-0000", {"function": "x"}, **writable).status_code == 404
    assert call("PATCH", "/contacts/!!", {"function": "x"}, **writable).status_code == 400
    given_id = {"id": "c-mine", "given_name": "A", "family_name": "B"}
    assert call("POST", f"/offices/{OFFICE}/contacts", given_id, **writable).status_code == 422


@pytest.fixture
def unreachable(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from chalice.test import Client

    from app import app

    server = MotoServer()  # never started: nothing listens on its port
    configure_service(monkeypatch, server.endpoint, "gk-directory-missing")
    with Client(app, stage_name="test") as client:
        yield client
    bootstrap.reset()


def test_a_503_when_nothing_can_answer(unreachable: Any) -> None:
    for path in ("/municipalities", "/health", f"/contacts/{CONTACT}/vcard"):
        response = unreachable.http.get(path)
        assert response.status_code == 503
        REACHED.add(check_response("GET", path, 503, response.headers, response.body))


def test_the_error_schema_would_catch_a_stray_field() -> None:
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    validate({"error": {"code": "x", "message": "y", "details": {}}}, envelope)
    with pytest.raises(AssertionError):
        validate({"error": {"code": "x", "message": "y", "details": {}, "trace": "…"}}, envelope)
    with pytest.raises(AssertionError):
        validate({"Code": "InternalServerError", "Message": "An internal server error occurred."}, envelope)


def test_the_coverage_check_names_every_operation_not_reached() -> None:
    everything = {Checked(method, path, 200) for path, method in documented_operations()}
    assert unreached_operations(everything) == set()
    left_out = sorted(documented_operations())[0]
    some = {seen for seen in everything if (seen.template, seen.method) != left_out}
    assert unreached_operations(some) == {left_out}
    assert unreached_operations(set()) == documented_operations() != set()
