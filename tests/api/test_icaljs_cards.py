"""Every card the API serves, read by ical.js (Thunderbird's parser), says what the JSON API says.

Contact and office cards, municipality bundles, the whole directory, and each as jCard:
name, organisation, phones, e-mail, address, URL and UID are compared with the JSON
of the same revision. Without node or ical.js this skips locally and fails under
REQUIRE_ICALJS=1 (CI).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.cards.props import COUNTRY_NAMES, uid
from chalicelib.write.models import Municipality
from tests.support.emulators import Api
from tests.support.icaljs import Property, all_of, first, read_with_icaljs
from tests.support.synthetic import Synthetic

JCARD = {"Accept": "application/vcard+json"}
Card = list[Property]


def get(api: Api, path: str, **headers: str) -> Any:
    response = api.get(path, **headers)
    assert response.status_code == 200, (path, response.body[:300])
    return response


def body_text(response: Any) -> str:
    text: str = response.body.decode("utf-8")
    return text


@pytest.fixture
def directory(api: Api) -> list[dict[str, Any]]:
    """The shipped directory plus synthetic contacts with everything a card can carry, as JSON."""
    synthetic = Synthetic(seed=11)
    record = synthetic.municipality(contacts=3)
    office = record["offices"][0]
    office.update(website="https://example.org/ki;x=1,2", fax="+49 221 5550199")
    office["address"]["note"] = "Eingang über den Hof;\nZimmer 2.14"
    office["contacts"][0].update(title="Dr.", phone="+49 221 5550123 ext. 45", languages=["ar", "fa-AF"])
    office["contacts"][1].update(given_name="Semi;colon, comma", function="Beratung; Koordination")
    api.writer.create(Municipality.model_validate(record))
    return [
        json.loads(get(api, f"/municipalities/{item['id']}").body)
        for item in json.loads(get(api, "/municipalities?limit=100").body)["items"]
    ]


def phones(card: Card) -> list[str]:
    """TEL values as display text, whether ical.js read a vCard 3.0 text or a jCard tel: URI."""
    found = []
    for prop in all_of(card, "TEL"):
        value = str(prop.value)
        if value.startswith("tel:"):
            number, _, extension = value.removeprefix("tel:").partition(";ext=")
            value = number.replace("-", " ") + (f" ext. {extension}" if extension else "")
        found.append(value)
    return found


def address(office: dict[str, Any]) -> list[str] | None:
    given = office.get("address")
    if not given:
        return None
    country = given.get("country") or "DE"
    return [
        "",
        "",
        given.get("street") or "",
        given["locality"],
        given.get("region") or "",
        given.get("postal_code") or "",
        COUNTRY_NAMES.get(country, country),
    ]


def as_typed(text: str) -> str:
    """A text value as a person typed it: ical.js's vCard 3.0 reader keeps the backslash of
    a "\\;" outside N, ADR and ORG (RFC 2426 §4 requires the escape; docs/api.md says so)."""
    return text.replace("\\;", ";")


def assert_says(card: Card, expected: dict[str, Any]) -> None:
    assert as_typed(first(card, "FN").value) == expected["fn"]
    org = first(card, "ORG").value
    assert (org if isinstance(org, list) else [org]) == expected["org"]
    assert sorted(phones(card)) == sorted(expected["phones"])
    emails = [p.value for p in all_of(card, "EMAIL")]
    assert emails == ([expected["email"]] if expected["email"] else [])
    adr = all_of(card, "ADR")
    assert (adr[0].value if adr else None) == expected["adr"]
    urls = [p.value for p in all_of(card, "URL")]
    assert urls == ([expected["url"]] if expected["url"] else [])
    assert first(card, "UID").value == expected["uid"]
    if "n" in expected:
        assert first(card, "N").value == expected["n"]


def expectations(municipality: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What each card of the municipality must say, by UID, from the JSON API alone."""
    said = {}
    for office in municipality["offices"]:
        reach = [office.get("phone_display"), office.get("fax_display")]
        url = office.get("website") or municipality.get("website")
        said[uid("office", office["id"])] = {
            "path": office["links"]["vcard"],
            "fn": office["name"],
            "org": [municipality["name"], office["name"]],
            "phones": [p for p in reach if p],
            "email": office.get("email"),
            "adr": address(office),
            "url": url,
            "uid": uid("office", office["id"]),
        }
        for contact in office["contacts"]:
            reach = [contact.get("phone_display"), contact.get("fax_display")]
            said[uid("contact", contact["id"])] = {
                "path": contact["links"]["vcard"],
                "fn": contact["name"],
                "n": [contact["family_name"], contact["given_name"], "", contact.get("title") or "", ""],
                "org": [municipality["name"], office["name"]],
                "phones": [p for p in reach if p],
                "email": contact.get("email"),
                "adr": address(office),
                "url": url,
                "uid": uid("contact", contact["id"]),
            }
    return said


def test_every_single_card_says_what_the_json_says(api: Api, directory: list[dict[str, Any]]) -> None:
    checked = 0
    for municipality in directory:
        for expected in expectations(municipality).values():
            for headers in ({}, JCARD):
                (card,) = read_with_icaljs(body_text(get(api, expected["path"], **headers)))
                assert_says(card, expected)
                checked += 1
    assert checked >= 2 * 17  # 12 shipped offices, Hieronimus, and the synthetic office with 3 contacts


def test_every_municipality_bundle_says_what_the_json_says(api: Api, directory: list[dict[str, Any]]) -> None:
    for municipality in directory:
        expected = expectations(municipality)
        if not expected:
            assert "vcard" not in municipality["links"]
            continue
        for headers in ({}, JCARD):
            cards = read_with_icaljs(body_text(get(api, municipality["links"]["vcard"], **headers)))
            assert sorted(first(card, "UID").value for card in cards) == sorted(expected)
            for card in cards:
                assert_says(card, expected[first(card, "UID").value])


def test_the_whole_directory_says_what_the_json_says(api: Api, directory: list[dict[str, Any]]) -> None:
    expected = {key: value for municipality in directory for key, value in expectations(municipality).items()}
    for headers in ({}, JCARD):
        cards = read_with_icaljs(body_text(get(api, "/vcards", **headers)))
        assert len(cards) == len(expected)
        for card in cards:
            assert_says(card, expected[first(card, "UID").value])
