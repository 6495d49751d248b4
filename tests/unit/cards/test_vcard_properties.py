"""Property tests: whatever text the model admits, a card stays one card and reads back exactly.

Records are generated admissible by construction (tests/support/strategies.py) and go
through the write-side model (pydantic), so cards are built from exactly what could be
stored. The text leans on the characters with a meaning in vCard syntax — ';' ',' ':'
'\\' and whole property lines — and on non-ASCII text: combining marks, emoji, RTL.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.cards import cache, props, render
from chalicelib.cards.text import MAX_LINE_OCTETS, fold
from chalicelib.write.models import Municipality
from tests.support.snapshots import snapshot_of
from tests.support.strategies import (
    LONG_TEXT,
    NAME,
    SHORT_TEXT,
    any_newlines,
    language_tags,
    multi_line,
    padded,
    phone_number,
    single_line,
    topics,
)
from tests.support.vcard_reading import assert_wire_format, read_cards, same_props, unfold

BASE = "https://api.example.org"


def records(*, as_sent: bool) -> st.SearchStrategy[dict[str, Any]]:
    """The free-text fields of a municipality with one office and one public contact.

    With as_sent=False every value is exactly what the model stores. With as_sent=True
    values arrive as an editor might send them: between whitespace and line breaks the
    model strips, and the address note with CR LF or CR line breaks it stores as LF.
    """

    def text(limit: int, pieces: int = 12) -> st.SearchStrategy[str]:
        value = single_line(limit, pieces=pieces)
        return padded(value) if as_sent else value

    def long_text(limit: int) -> st.SearchStrategy[str]:
        # mostly short, often long enough that the property's line folds inside the value
        value = single_line(limit, pieces=12) | single_line(limit, pieces=50, min_pieces=20)
        return padded(value) if as_sent else value

    note = padded(any_newlines(multi_line(LONG_TEXT // 2))) if as_sent else multi_line()
    return st.fixed_dictionaries(
        {
            "municipality": text(NAME),
            "office": long_text(NAME),
            "role": st.none() | text(SHORT_TEXT),
            "street": st.none() | text(SHORT_TEXT),
            "locality": text(SHORT_TEXT),
            "note": st.none() | note,
            "office_phone": st.none() | phone_number(),
            "title": st.none() | text(SHORT_TEXT, pieces=4),
            "given_name": long_text(NAME),
            "family_name": long_text(NAME),
            "function": st.none() | text(NAME),
            "phone": st.none() | phone_number(),
            "fax": st.none() | phone_number(),
            "languages": language_tags(),
            "topics": topics(),
        }
    )


def municipality(values: dict[str, Any]) -> Municipality:
    """The record the values describe; the strategies only make values the model admits."""
    return Municipality.model_validate({
        "id": "05999001",
        "name": values["municipality"],
        "kind": "Kreis",
        "regierungsbezirk": "Köln",
        "seat": "Synthetisch",
        "coordinates": {"lat": 50.9, "lon": 6.9},
        "participation": {"status": "reported"},
        "offices": [
            {
                "id": "office-prop",
                "name": values["office"],
                "role": values["role"],
                "address": {
                    "street": values["street"],
                    "postal_code": "50667",
                    "locality": values["locality"],
                    "note": values["note"],
                },
                "phone": values["office_phone"],
                "contacts": [
                    {
                        "id": "c-prop",
                        "title": values["title"],
                        "given_name": values["given_name"],
                        "family_name": values["family_name"],
                        "function": values["function"],
                        "phone": values["phone"],
                        "fax": values["fax"],
                        "email": "person@example.org",
                        "languages": values["languages"],
                        "topics": values["topics"],
                        "public": True,
                    }
                ],
            }
        ],
    })


def cards_of(model: Municipality) -> list[render.Card]:
    snapshot = snapshot_of([model])
    return cache.DirectoryCards(snapshot, BASE).municipality(snapshot.municipalities[0])


def prop(card: render.Card | list[props.Prop], name: str) -> props.Prop:
    found = card.props if isinstance(card, render.Card) else card
    return next(p for p in found if p.name == name)


def values_of(card: list[props.Prop], name: str) -> list[str | tuple[str, ...]]:
    return [p.value for p in card if p.name == name]


def dialled(card: list[props.Prop], kind: str) -> list[str]:
    """The digits of the card's TEL of one kind (VOICE or FAX), as E.164 without the '+'."""
    return [re.sub(r"\D", "", str(p.value)) for p in card if p.name == "TEL" and kind in p.types]


@given(records(as_sent=True))
def test_any_text_stays_inside_its_property(values: dict[str, Any]) -> None:
    model = municipality(values)
    cards = cards_of(model)
    text = "".join(card.text for card in cards)
    assert_wire_format(text, cards=2)
    parsed = read_cards(text)
    assert len(parsed) == 2
    for card, read in zip(cards, parsed, strict=True):
        # the same properties, no more (no injected line), with the same values and types
        assert same_props(read, card.props)
        assert json.loads(card.jcard)[0] == "vcard"
    contact = model.offices[0].contacts[0]
    assert prop(parsed[1], "N").value[:2] == (contact.family_name, contact.given_name)


@given(records(as_sent=False))
def test_text_without_cr_or_controls_round_trips_exactly(values: dict[str, Any]) -> None:
    # Nothing here is left for the model to strip or normalise, so the cards must carry
    # the generated values themselves, character for character.
    model = municipality(values)
    office_card, contact_card = cards_of(model)
    office, contact = model.offices[0], model.offices[0].contacts[0]
    read_office, read_contact = read_cards(office_card.text + contact_card.text)

    name = (values["family_name"], values["given_name"], "", values["title"] or "", "")
    assert prop(read_contact, "N").value == name
    assert prop(read_contact, "ORG").value == (values["municipality"], values["office"])
    assert values_of(read_contact, "TITLE") == ([values["function"]] if values["function"] else [])
    assert values_of(read_contact, "CATEGORIES") == ([tuple(values["topics"])] if values["topics"] else [])
    # vCard 3.0 has no LANG: the languages are a line of the NOTE (cards/props.py)
    assert values_of(read_contact, "LANG") == []
    contact_note = str(prop(read_contact, "NOTE").value)
    assert all(tag in contact_note for tag in values["languages"])
    adr = prop(read_contact, "ADR").value
    assert adr[2:4] == (values["street"] or "", values["locality"])
    assert prop(read_office, "ADR").value == adr
    assert dialled(read_contact, "VOICE") == ([contact.phone[1:]] if contact.phone else [])
    assert dialled(read_contact, "FAX") == ([contact.fax[1:]] if contact.fax else [])
    assert dialled(read_office, "VOICE") == ([office.phone[1:]] if office.phone else [])
    assert prop(read_office, "FN").value == values["office"]
    assert prop(read_office, "ORG").value == (values["municipality"], values["office"])
    office_note = str(prop(read_office, "NOTE").value)
    assert all(part in office_note for part in (values["role"], values["municipality"]) if part)
    jcard_name = next(p for p in json.loads(contact_card.jcard)[1] if p[0] == "n")
    assert jcard_name[3][:2] == [values["family_name"], values["given_name"]]


def escaped(value: str) -> str:
    """A text value as a vCard content line carries it (an RFC 2426 text value: \\ \\; \\, and \\n)."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


@given(multi_line(4 * MAX_LINE_OCTETS, pieces=60, min_pieces=20))
def test_fold_bounds_lines_and_unfolds_to_the_original(value: str) -> None:
    # fold() sees escaped content lines: no CR or LF, and every backslash starts a pair
    line = "NOTE:" + escaped(value)
    folded = fold(line)
    assert unfold(folded) == line
    for physical in folded.split("\r\n"):
        assert len(physical.encode("utf-8")) <= MAX_LINE_OCTETS
        # an escape pair is never split: no physical line ends in an odd run of backslashes
        assert (len(physical) - len(physical.rstrip("\\"))) % 2 == 0, physical
