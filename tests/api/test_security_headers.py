"""Headers on every answer (issue 16 item 15): nosniff everywhere, HSTS on the editing page
over HTTPS, and a malformed `/edit?token=…` link refused with a page that reflects nothing."""

from __future__ import annotations

import pytest

from infra.template import gateway_responses
from tests.support.editing import HIERONIMUS, STEINFURT, STEINFURT_OFFICE, Answer, call, token
from tests.support.emulators import Api

READS = [
    "/",
    "/health",
    "/municipalities?q=steinfurt",
    f"/municipalities/{STEINFURT}",
    f"/offices/{STEINFURT_OFFICE}",
    f"/contacts/{HIERONIMUS}",
    f"/contacts/{HIERONIMUS}/vcard",
    f"/contacts/{HIERONIMUS}/qr.svg",
    f"/municipalities/{STEINFURT}/vcard",
    "/vcards",
    "/changes",
    "/openapi.json",
    "/widget.js",
    "/edit",
    "/edit.js",
    "/edit.css",
    "/edit-i18n/ar.json",
]
ERRORS = [
    ("GET", "/no-such-path"),  # 404
    ("GET", "/municipalities?limit=abc"),  # 400
    ("GET", "/contacts/c-00000000000000000000000000000000"),  # 404 from a route
    ("POST", "/changes"),  # 405
    ("PATCH", f"/contacts/{HIERONIMUS}"),  # 401: no token
    ("GET", "/edit/session"),  # 401 on an authorised read
]


def _nosniff(answer: Answer) -> bool:
    return answer.header("X-Content-Type-Options") == "nosniff"


@pytest.mark.parametrize("path", READS)
def test_every_read_and_its_head_and_304_say_nosniff(api: Api, path: str) -> None:
    got = call(api, "GET", path)
    assert got.status == 200, path
    assert _nosniff(got), path
    assert _nosniff(call(api, "HEAD", path)), path
    assert _nosniff(
        call(
            api,
            "OPTIONS",
            path,
            headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
        )
    ), path
    etag = got.header("ETag")
    if etag:
        again = call(api, "GET", path, headers={"If-None-Match": etag})
        assert again.status == 304, path
        assert _nosniff(again), path


@pytest.mark.parametrize(("method", "path"), ERRORS)
def test_every_error_says_nosniff(api: Api, method: str, path: str) -> None:
    answer = call(api, method, path, body={} if method == "PATCH" else None)
    assert answer.status >= 400, (method, path)
    assert _nosniff(answer), (method, path)


def test_writes_and_the_session_say_nosniff(api: Api) -> None:
    admin = token()
    session = call(api, "GET", "/edit/session", bearer=admin)
    assert session.status == 200 and _nosniff(session)
    written = call(
        api, "PATCH", f"/contacts/{HIERONIMUS}", bearer=admin, body={"function": "X"}, if_match="*"
    )
    assert written.status == 200, written.body
    assert _nosniff(written)


def test_the_gateways_own_answers_say_nosniff() -> None:
    responses = gateway_responses()
    assert responses
    for kind, response in responses.items():
        assert (
            response["responseParameters"]["gatewayresponse.header.X-Content-Type-Options"] == "'nosniff'"
        ), kind


EDITING_PAGE = ["/edit", "/edit.js", "/edit.css"]


def test_the_editing_page_asks_for_https_only_when_served_over_https(api: Api) -> None:
    admin = token()
    for path in EDITING_PAGE:
        deployed = call(api, "GET", path, headers={"X-Forwarded-Proto": "https"})
        assert deployed.header("Strict-Transport-Security") == "max-age=31536000; includeSubDomains", path
        local = call(api, "GET", path)  # make run: plain http on loopback
        assert local.header("Strict-Transport-Security") is None, path
    session = call(api, "GET", "/edit/session", bearer=admin, headers={"X-Forwarded-Proto": "https"})
    assert session.header("Strict-Transport-Security") is not None
    # The public API is not the page: embedding sites decide about HSTS for their own hosts.
    read = call(api, "GET", "/municipalities", headers={"X-Forwarded-Proto": "https"})
    assert read.header("Strict-Transport-Security") is None


@pytest.mark.parametrize("valid", [True, False])
def test_a_token_in_the_query_gets_a_malformed_link_page_and_is_never_used(api: Api, valid: bool) -> None:
    secret = token("municipality:05566") if valid else "gk_" + "Q" * 43
    answer = call(api, "GET", f"/edit?token={secret}")
    assert answer.status == 400
    assert answer.header("Content-Type") == "text/html; charset=utf-8"
    assert answer.header("Cache-Control") == "no-store"
    assert answer.header("Referrer-Policy") == "no-referrer"
    assert _nosniff(answer)
    page = str(answer.body)
    assert secret not in page and secret[:12] not in page  # never reflected
    assert "fehlerhaft" in page and "malformed" in page and "neuen Link" in page
    assert "edit.js" not in page  # the editor itself does not start: the token is not used
    # The same page whether the token is valid or not: nothing about it is looked up.
    other = call(api, "GET", "/edit?token=gk_" + "Z" * 43)
    assert other.body == answer.body
    # The right link (token in the fragment, which no server sees) still opens the editor.
    assert "edit.js" in str(call(api, "GET", "/edit").body)
