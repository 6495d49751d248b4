"""QR codes: every public contact gets one, with an opaque white background and quiet zone."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import segno

from chalicelib.cards import cache, qr
from chalicelib.cards.render import Card
from chalicelib.write.models import Municipality
from tests.support.icaljs import first, read_with_icaljs
from tests.support.snapshots import shipped, snapshot_of
from tests.support.vcard_reading import read_cards
from tests.support.worst_case import cjk, worst_case_record

SVG = "{http://www.w3.org/2000/svg}"
def contact_card(record: dict[str, Any], contact_id: str = "c-worst") -> Card:
    snapshot = snapshot_of([Municipality.model_validate(record)])
    card = cache.DirectoryCards(snapshot, "https://api.example.org").card("contact", contact_id)
    assert card is not None
    return card


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules of segno's SVG path (module units, border 4)."""
    root = ET.fromstring(svg)  # noqa: S314 — our own output
    stroke = next(p for p in root.iter(f"{SVG}path") if p.get("stroke"))
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, one, two in re.findall(r"([Mmh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?", stroke.attrib["d"]):
        if command == "M":
            x, y = float(one), float(two)
        elif command == "m":
            x, y = x + float(one), y + float(two)
        else:
            dark.update((int(y - 0.5) - qr.BORDER, int(x) - qr.BORDER + i) for i in range(int(float(one))))
            x += int(float(one))
    return dark


def test_the_largest_contact_the_model_admits_gets_a_readable_qr_code() -> None:
    card = contact_card(worst_case_record())
    assert len(card.text.encode("utf-8")) > 2331  # more than any QR code holds at level M
    payload = qr.payload(card)
    svg = qr.card_svg(card)
    expected = segno.make(payload, error=qr.ERROR_LEVEL, micro=False, encoding="utf-8")
    assert dark_modules(svg) == {
        (r, c) for r, row in enumerate(expected.matrix) for c, value in enumerate(row) if value
    }
    # what a phone reads from it is still a card: name, organisation, phone and e-mail
    (read,) = read_with_icaljs(payload)
    assert first(read, "VERSION").value == "3.0"
    assert first(read, "FN").value
    assert first(read, "N").value[0]
    assert first(read, "ORG").value
    assert "+49 221 5550101" in [p.value for p in read if p.name == "tel"]
    assert first(read, "EMAIL").value.startswith("m" * 64 + "@")
    (parsed,) = read_cards(payload)
    assert {p.name for p in parsed} >= {"N", "FN", "ORG", "TEL", "EMAIL"}


def test_a_card_that_fits_is_encoded_whole() -> None:
    snapshot = snapshot_of(shipped())
    card = cache.DirectoryCards(snapshot, "https://api.example.org").card(
        "contact", "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"
    )
    assert card is not None
    assert qr.payload(card) == card.text


def test_names_too_long_for_the_whole_card_keep_what_fits() -> None:
    record = worst_case_record()
    contact = record["offices"][0]["contacts"][0]
    contact.update(given_name="Mia", family_name="Yamada " + cjk(150), title=None)
    card = contact_card(record)
    (read,) = read_with_icaljs(qr.payload(card))
    assert first(read, "N").value[1] == "Mia"
    assert first(read, "FN").value.startswith("Mia Yamada ")


def test_the_svg_has_an_opaque_white_background_over_the_quiet_zone() -> None:
    card = contact_card(worst_case_record())
    root = ET.fromstring(qr.card_svg(card))  # noqa: S314 — our own output
    width, height = int(root.attrib["width"]), int(root.attrib["height"])
    scale = 4
    backgrounds = []
    for element in root.iter():
        fill = (element.get("fill") or "").lower()
        if fill not in ("#fff", "#ffffff", "white") or element.get("opacity") or element.get("fill-opacity"):
            continue
        if element.tag == f"{SVG}rect":
            backgrounds.append((float(element.get("width", 0)), float(element.get("height", 0))))
        elif element.tag == f"{SVG}path":
            found = re.fullmatch(r"M0 0h([\d.]+)v([\d.]+)h-[\d.]+z", element.attrib["d"])
            if found:
                backgrounds.append((float(found[1]) * scale, float(found[2]) * scale))
    assert (width, height) in backgrounds
