"""Property tests: whatever text the model admits, a card stays one card and reads back exactly.

Values go through the write-side model first (pydantic), so the cards are built from
exactly what could be stored. The alphabet leans on the characters with a meaning in
vCard syntax — ';' ',' ':' '\\' CR LF — and mixes in any other Unicode.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from chalicelib.cards import cache, props, render
from chalicelib.cards.text import MAX_LINE_OCTETS, card_text, fold
from chalicelib.write.models import Municipality
from tests.support.snapshots import snapshot_of
from tests.support.vcard_reading import assert_wire_format, read_cards, same_props, unfold

BASE = "https://api.example.org"
SYNTAX = [";", ",", ":", "\\", "\r", "\n", "\r\n", "\\n", "\t", '"', "=", " ", "BEGIN:VCARD", "END:VCARD",
          "X-EVIL:1", "ä", "ß", "€", "😀", "\u0301", "\u2028", "\x85", "\x00", "\x1b"]
_ANY = st.characters(exclude_categories=["Cs"])  # lone surrogates cannot be UTF-8 at all
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def texts(max_size: int, *, exact: bool = False) -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(SYNTAX), _ANY.map(str))
    text = st.lists(pieces, min_size=1, max_size=max_size).map("".join)
    if exact:
        # what a vCard carries unchanged: no CR, no control characters but TAB and LF
        text = text.map(lambda value: _CONTROLS.sub("", value.replace("\r", "")))
    return text


def records(exact: bool) -> st.SearchStrategy[dict[str, Any]]:
    short = texts(12, exact=exact)
    return st.fixed_dictionaries(
        {
            "municipality": short,
            "office": short,
            "role": st.none() | short,
            "street": st.none() | short,
            "locality": short,
            "title": st.none() | short,
            "given_name": texts(30, exact=exact),
            "family_name": texts(30, exact=exact),
            "function": st.none() | short,
            "topics": st.lists(short, max_size=4),
        }
    )


def municipality(values: dict[str, Any]) -> Municipality:
    record = {
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
                    "street": values["street"], "postal_code": "50667", "locality": values["locality"]
                },
                "phone": "+49 221 5550100",
                "contacts": [
                    {
                        "id": "c-prop",
                        "title": values["title"],
                        "given_name": values["given_name"],
                        "family_name": values["family_name"],
                        "function": values["function"],
                        "phone": "+49 221 5550101",
                        "fax": "+49 221 5550102",
                        "email": "person@example.org",
                        "languages": ["de", "ar"],
                        "topics": values["topics"],
                        "public": True,
                    }
                ],
            }
        ],
    }
    try:
        return Municipality.model_validate(record)
    except ValidationError:
        reject()  # e.g. a name that is only whitespace: the model refuses it, so no card can hold it


def cards_of(model: Municipality) -> list[render.Card]:
    snapshot = snapshot_of([model])
    return cache.DirectoryCards(snapshot, BASE).municipality(snapshot.municipalities[0])


def prop(card: render.Card | list[props.Prop], name: str) -> props.Prop:
    props = card.props if isinstance(card, render.Card) else card
    return next(p for p in props if p.name == name)


PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


@PROPERTY_SETTINGS
@given(records(exact=False))
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
    read_name = prop(parsed[1], "N").value
    assert read_name[:2] == (card_text(contact.family_name), card_text(contact.given_name))


@PROPERTY_SETTINGS
@given(records(exact=True))
def test_text_without_cr_or_controls_round_trips_exactly(values: dict[str, Any]) -> None:
    model = municipality(values)
    office_card, contact_card = cards_of(model)
    office, contact = model.offices[0], model.offices[0].contacts[0]
    read_office, read_contact = read_cards(office_card.text + contact_card.text)

    name = (contact.family_name, contact.given_name, "", contact.title or "", "")
    assert prop(read_contact, "N").value == name
    assert prop(read_contact, "ORG").value == (model.name, office.name)
    if contact.function:
        assert prop(read_contact, "TITLE").value == contact.function
    if contact.topics:
        assert prop(read_contact, "CATEGORIES").value == tuple(contact.topics)
    assert office.address is not None
    adr = prop(read_contact, "ADR").value
    assert adr[2:4] == (office.address.street or "", office.address.locality)
    assert prop(read_office, "FN").value == office.name
    assert prop(read_office, "ORG").value == (model.name, office.name)
    jcard_name = next(p for p in json.loads(contact_card.jcard)[1] if p[0] == "n")
    assert jcard_name[3][:2] == [contact.family_name, contact.given_name]


@settings(max_examples=300, deadline=None)
@given(texts(120))
def test_fold_bounds_lines_and_unfolds_to_the_original(value: str) -> None:
    # fold() sees escaped content lines, which hold no CR or LF
    line = "NOTE:" + value.replace("\r", "").replace("\n", "\\n")
    folded = fold(line)
    assert unfold(folded) == line
    for physical in folded.split("\r\n"):
        assert len(physical.encode("utf-8")) <= MAX_LINE_OCTETS
