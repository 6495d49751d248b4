"""The vCard routes through Chalice's Lambda handler, on a real moto server over HTTP."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import unquote

import pytest
import segno

from app import app
from chalicelib.write.models import Municipality
from tests.support.emulators import Api
from tests.support.envelopes import error_of
from tests.support.synthetic import Synthetic
from tests.support.vcard_reading import assert_wire_format, read_cards, unfold, value_lines

STEINFURT = "05566"
HIERONIMUS = "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"
LOCAL = {"Host": "127.0.0.1:8000"}
JCARD = {"Accept": "application/vcard+json"}


def text_of(response: Any) -> str:
    body: bytes = response.body
    return body.decode("utf-8")


def hidden_contact_municipality(api: Api) -> tuple[Municipality, dict[str, Any]]:
    synthetic = Synthetic(seed=42)
    record = synthetic.municipality(contacts=1)
    hidden = synthetic.contact(public=False, family_name="Verborgen", email="verborgen@example.org")
    record["offices"][0]["contacts"].append(hidden)
    return api.writer.create(Municipality.model_validate(record)), hidden


def test_hieronimus_card_downloads_as_vcard_3(api: Api) -> None:
    response = api.get(f"/contacts/{HIERONIMUS}/vcard", **LOCAL)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/vcard; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Hieronimus_Stephanie.vcf"')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "Hieronimus_Stephanie.vcf"
    text = text_of(response)
    assert_wire_format(text, cards=1)
    assert value_lines(text, "N") == ["N:Hieronimus;Stephanie;;;"]
    assert value_lines(text, "FN") == ["FN:Stephanie Hieronimus"]
    assert value_lines(text, "TITLE") == ["TITLE:Kommunales Integrationszentrum"]
    assert "TEL;TYPE=WORK,VOICE:+49 2551 692743" in value_lines(text, "TEL")
    assert "TEL;TYPE=WORK,FAX:+49 2551 6992743" in value_lines(text, "TEL")
    assert value_lines(text, "EMAIL") == ["EMAIL;TYPE=INTERNET,WORK:stephanie.hieronimus@kreis-steinfurt.de"]
    assert value_lines(text, "SOURCE") == [f"SOURCE:http://127.0.0.1:8000/contacts/{HIERONIMUS}/vcard"]
    # REV is the municipality's last change, as the JSON API reports it
    updated_at = json.loads(api.get(f"/municipalities/{STEINFURT}").body)["updated_at"]
    assert value_lines(text, "REV")[0].removeprefix("REV:")[:19] == updated_at[:19]
    assert len(read_cards(text)) == 1


def test_lambda_handler_returns_text_not_base64_and_source_keeps_the_stage(api: Api) -> None:
    # What API Gateway hands the function: a stage in the path, https behind the gateway.
    host = "abc123.execute-api.eu-central-1.amazonaws.com"
    event = {
        "resource": "/contacts/{contact_id}/vcard",
        "path": f"/contacts/{HIERONIMUS}/vcard",
        "httpMethod": "GET",
        "headers": {"Host": host, "X-Forwarded-Proto": "https", "Accept": "*/*"},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"contact_id": HIERONIMUS},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/contacts/{contact_id}/vcard",
            "httpMethod": "GET",
            "path": f"/api/contacts/{HIERONIMUS}/vcard",
            "stage": "api",
        },
        "body": None,
        "isBase64Encoded": False,
    }
    result = app(event, None)
    assert result["statusCode"] == 200
    assert not result.get("isBase64Encoded")  # Chalice sets it only for binary (bytes) bodies
    assert isinstance(result["body"], str)
    expected = f"SOURCE:https://{host}/api/contacts/{HIERONIMUS}/vcard"
    assert value_lines(result["body"], "SOURCE") == [expected]


def test_office_card_and_municipality_file(api: Api) -> None:
    office = api.get("/offices/ki-kreis-steinfurt/vcard")
    assert office.status_code == 200
    office_text = text_of(office)
    assert "X-ABSHOWAS:COMPANY" in office_text.split("\r\n")
    assert "filename*=UTF-8''Kommunales_Integrationszentrum_Kreis_Steinfurt.vcf" in office.headers[
        "Content-Disposition"
    ]

    whole = api.get(f"/municipalities/{STEINFURT}/vcard")
    assert whole.status_code == 200
    text = text_of(whole)
    assert_wire_format(text, cards=2)
    names = [next(p.value for p in card if p.name == "FN") for card in read_cards(text)]
    assert names == ["Kommunales Integrationszentrum Kreis Steinfurt", "Stephanie Hieronimus"]
    # the same cards as the single downloads, byte for byte
    assert text == office_text + text_of(api.get(f"/contacts/{HIERONIMUS}/vcard"))


def test_whole_directory_holds_every_office_and_public_contact(api: Api) -> None:
    listing = json.loads(api.get("/municipalities?limit=100").body)
    expected = [
        name
        for item in listing["items"]
        for office in item["offices"]
        for name in [office["name"]] + [c["name"] for c in office["contacts"]]
    ]
    response = api.get("/vcards")
    assert response.status_code == 200
    assert "filename*=UTF-8''gemeinsam-klappts.vcf" in response.headers["Content-Disposition"]
    text = text_of(response)
    assert_wire_format(text, cards=len(expected))
    cards = read_cards(text)
    names = [next(p.value for p in card if p.name == "FN") for card in cards]
    assert names == expected
    phones = [p.value for card in cards for p in card if p.name == "TEL"]
    assert phones
    assert all(isinstance(n, str) and re.fullmatch(r"\+[1-9][\d ]+", n) for n in phones), phones


def test_vcards_takes_the_search_parameters(api: Api) -> None:
    found = text_of(api.get("/vcards?q=hieronimus"))
    assert "FN:Stephanie Hieronimus" in found.split("\r\n")
    kreise = read_cards(text_of(api.get("/vcards?kind=kreisfreie%20Stadt")))
    assert kreise
    assert all(not any(p.name == "FN" and p.value == "Stephanie Hieronimus" for p in card) for card in kreise)
    nothing = api.get("/vcards?q=zzzzqqqq")
    assert nothing.status_code == 404  # no card, no download (tests/api/test_download_answers.py)


@pytest.mark.parametrize(
    ("query", "parameter", "code"),
    [
        ("limit=5", "limit", "invalid_parameter"),
        ("cursor=abc", "cursor", "invalid_parameter"),
        ("kind=Dorf", "kind", "invalid_parameter"),
    ],
)
def test_vcards_rejects_paging_and_bad_filters(api: Api, query: str, parameter: str, code: str) -> None:
    error = error_of(api.get(f"/vcards?{query}"), 400)
    assert error["code"] == code
    assert error["details"]["parameter"] == parameter


def test_vcards_rejects_unknown_parameters(api: Api) -> None:
    assert error_of(api.get("/vcards?format=csv"), 400)["code"] == "unknown_parameter"


def test_non_public_contact_is_in_no_card(api: Api) -> None:
    created, hidden = hidden_contact_municipality(api)
    office_id = created.offices[0].id
    for path in (f"/contacts/{hidden['id']}/vcard", f"/contacts/{hidden['id']}/qr.svg"):
        assert error_of(api.get(path), 404)["code"] == "not_found"
    public = created.offices[0].contacts[0]
    downloads = [
        text_of(api.get(f"/offices/{office_id}/vcard")),
        text_of(api.get(f"/municipalities/{created.id}/vcard")),
        text_of(api.get(f"/municipalities/{created.id}/vcard", **JCARD)),
        text_of(api.get("/vcards")),
        text_of(api.get("/vcards", **JCARD)),
    ]
    subscriber = hidden["phone"].replace(" ", "")[3:]
    for text in downloads:
        flat = unfold(text).replace(" ", "").replace("-", "")
        for secret in (hidden["id"], "Verborgen", "verborgen@example.org", subscriber):
            assert secret not in flat
    # the public colleague in the same office is there
    assert f"FN:{public.given_name} {public.family_name}" in unfold(downloads[1]).split("\r\n")


def test_unknown_ids_are_404_and_malformed_ids_400(api: Api) -> None:
    assert api.get("/contacts/c-doesnotexist/vcard").status_code == 404
    assert api.get("/offices/no-such-office/vcard").status_code == 404
    assert api.get("/municipalities/05999999/vcard").status_code == 404
    assert api.get("/municipalities/99999/vcard").status_code == 400
    assert api.get("/contacts/%3Bx/vcard").status_code == 400


def test_new_revision_shows_in_the_cards(api: Api) -> None:
    before = api.get("/vcards")
    created = api.writer.create(Synthetic(seed=5).model(contacts=1))
    after = api.get("/vcards")
    assert after.headers["ETag"] != before.headers["ETag"]
    assert int(after.headers["X-Directory-Revision"]) > int(before.headers["X-Directory-Revision"])
    contact = created.offices[0].contacts[0]
    assert f"FN:{contact.given_name} {contact.family_name}" in unfold(text_of(after)).split("\r\n")


@pytest.mark.parametrize(
    "path",
    [f"/contacts/{HIERONIMUS}/vcard", "/offices/ki-kreis-steinfurt/vcard",
     f"/municipalities/{STEINFURT}/vcard", "/vcards?regierungsbezirk=M%C3%BCnster",
     f"/contacts/{HIERONIMUS}/qr.svg"],
)
def test_etag_304_cache_control_and_cors(api: Api, path: str) -> None:
    first = api.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert "Content-Disposition" in first.headers["Access-Control-Expose-Headers"]
    again = api.get(path, **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.body == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"


def test_jcard_on_request_with_its_own_etag(api: Api) -> None:
    path = f"/contacts/{HIERONIMUS}/vcard"
    vcard = api.get(path)
    jcard = api.get(path, **JCARD)
    assert jcard.status_code == 200
    assert jcard.headers["Content-Type"] == "application/vcard+json"
    assert vcard.headers["Vary"] == jcard.headers["Vary"] == "Accept"
    assert jcard.headers["ETag"] != vcard.headers["ETag"]
    kind, properties = json.loads(jcard.body)
    assert kind == "vcard"
    assert ["fn", {}, "text", "Stephanie Hieronimus"] in properties
    assert ["version", {}, "text", "4.0"] in properties
    # a client holding the vCard does not get a 304 for the jCard
    assert api.get(path, **JCARD, **{"If-None-Match": vcard.headers["ETag"]}).status_code == 200

    many = json.loads(api.get(f"/municipalities/{STEINFURT}/vcard", **JCARD).body)
    assert [card[0] for card in many] == ["vcard", "vcard"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/vcard", "text/vcard; charset=utf-8"),
        ("text/x-vcard", "text/vcard; charset=utf-8"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/vcard; charset=utf-8"),
        ("application/vcard+json, text/vcard;q=0.5", "application/vcard+json"),
        ("text/vcard;q=0.4, application/*;q=0.9", "application/vcard+json"),
        ("application/vcard+json;q=0.5, text/vcard", "text/vcard; charset=utf-8"),
    ],
)
def test_accept_negotiation(api: Api, accept: str, expected: str) -> None:
    response = api.get(f"/contacts/{HIERONIMUS}/vcard", Accept=accept)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == expected


def test_unacceptable_media_type_is_406(api: Api) -> None:
    error = error_of(api.get(f"/contacts/{HIERONIMUS}/vcard", Accept="image/png"), 406)
    assert error["code"] == "not_acceptable"
    assert "application/vcard+json" in error["details"]["available"]


def _dark_modules(svg_path: str, border: int) -> set[tuple[int, int]]:
    """Read segno's SVG path back into dark modules: 'M x y' absolute, 'm dx dy' relative, 'h n' a run."""
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, first, second in re.findall(r"([Mmh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?", svg_path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            run = int(float(first))
            row = int(y - 0.5) - border
            dark.update((row, int(x) - border + i) for i in range(run))
            x += run
    return dark


def test_qr_svg_encodes_the_served_vcard(api: Api) -> None:
    vcard_text = text_of(api.get(f"/contacts/{HIERONIMUS}/vcard", **LOCAL))
    response = api.get(f"/contacts/{HIERONIMUS}/qr.svg", **LOCAL)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.body)  # noqa: S314 — our own response, not untrusted input
    namespace = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{namespace}svg"
    title = root.find(f"{namespace}title")
    assert title is not None and "Stephanie Hieronimus" in (title.text or "")  # its accessible name
    # a full QR code (not a Micro QR) of exactly the served vCard, at 4 px a module, 4 modules quiet zone
    expected = segno.make(vcard_text, error="m", micro=False, encoding="utf-8")
    modules = len(expected.matrix)
    assert int(root.attrib["width"]) == int(root.attrib["height"]) == (modules + 2 * 4) * 4
    path = next(p for p in root.iter(f"{namespace}path") if p.get("stroke"))  # the dark modules
    dark = _dark_modules(path.attrib["d"], border=4)
    wanted = {(r, c) for r, row in enumerate(expected.matrix) for c, value in enumerate(row) if value}
    assert dark == wanted
