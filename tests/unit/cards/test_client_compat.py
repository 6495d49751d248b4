"""What address-book clients read from our cards: vobject and ical.js (Thunderbird) round trips.

Each test builds a card from a record the write model admits and reads the .vcf back
with both parsers, as a client would.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.cards import cache, render
from chalicelib.cards.text import MAX_LINE_OCTETS, fold
from chalicelib.write.models import Municipality
from tests.support.icaljs import first, read_with_icaljs
from tests.support.snapshots import shipped, snapshot_of
from tests.support.synthetic import Synthetic
from tests.support.vcard_reading import assert_wire_format, read_cards, unfold

BASE = "https://api.example.org"


def cards_for(record: dict[str, Any], base: str | None = BASE) -> list[render.Card]:
    snapshot = snapshot_of([Municipality.model_validate(record)])
    return cache.DirectoryCards(snapshot, base).municipality(snapshot.municipalities[0])


def one_contact(**contact: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    synthetic = Synthetic(seed=3)
    record = synthetic.municipality(contacts=1)
    record["offices"][0]["contacts"][0].update(contact)
    return record, record["offices"][0]["contacts"][0]


def lines_of(text: str, name: str) -> list[str]:
    return [line for line in unfold(text).split("\r\n") if line.split(":", 1)[0].split(";", 1)[0] == name]


# -- 4. URL and SOURCE are URIs: never text-escaped ------------------------------------------


def test_urls_are_written_as_uris_and_read_back_exactly() -> None:
    website = "https://example.org/ki;x=1,2/" + "lang" * 20 + "?a=1,2;b=3"
    record, _ = one_contact()
    record["offices"][0]["website"] = website
    cards = cards_for(record, base="https://api.example.org/stage;v=1,2")
    text = "".join(card.text for card in cards)
    assert_wire_format(text, cards=2)
    for line in lines_of(text, "URL") + lines_of(text, "SOURCE"):
        assert "\\" not in line, line
    for read in read_with_icaljs(text):
        assert first(read, "URL").value == website
        assert first(read, "SOURCE").value.startswith("https://api.example.org/stage;v=1,2/")
    for parsed in read_cards(text):
        assert next(p.value for p in parsed if p.name == "URL") == website


# -- 10. escaping in plain text fields -------------------------------------------------------

TRICKY = "Semi;colon, comma\\back:slash"


def test_text_fields_read_back_exactly_in_ical_js_and_vobject() -> None:
    record, contact = one_contact(
        given_name=TRICKY,
        family_name="Family;Name, Jr.",
        function="Leitung; Beratung, Koordination",
        topics=["Arbeit;Ausbildung", "Sprache, Kultur"],
    )
    record["name"] = "Kreis A;B, C"
    record["offices"][0]["name"] = "Office;One, Two"
    contact_card = cards_for(record)[1]
    text = contact_card.text
    # RFC 2426 §4: every text value escapes ';' (Evolution cuts a value at a bare one).
    for name in ("FN", "TITLE", "CATEGORIES", "NOTE"):
        value = lines_of(text, name)[0].split(":", 1)[1]
        assert ";" not in value.replace("\\;", ""), lines_of(text, name)
    fn = f"{TRICKY} Family;Name, Jr."
    topics = ["Arbeit;Ausbildung", "Sprache, Kultur"]

    # ical.js's vCard 3.0 reader keeps the backslash of a "\\;" outside N, ADR and ORG.
    (read,) = read_with_icaljs(text)
    assert first(read, "FN").value == fn.replace(";", "\\;")
    assert first(read, "TITLE").value == contact["function"].replace(";", "\\;")
    assert first(read, "CATEGORIES").values == [t.replace(";", "\\;") for t in topics]
    assert first(read, "N").value[:2] == ["Family;Name, Jr.", TRICKY]
    assert first(read, "ORG").value == ["Kreis A;B, C", "Office;One, Two"]
    assert "Kreis A\\;B, C" in first(read, "NOTE").value

    (parsed,) = read_cards(text)
    by_name = {p.name: p.value for p in parsed}
    assert by_name["FN"] == fn
    assert by_name["TITLE"] == contact["function"]
    assert by_name["CATEGORIES"] == tuple(topics)
    assert by_name["N"][:2] == ("Family;Name, Jr.", TRICKY)
    assert by_name["ORG"] == ("Kreis A;B, C", "Office;One, Two")


# -- 8. vCard 3.0 validity -----------------------------------------------------------------

# RFC 2426 §3 (and RFC 2425 for NAME, PROFILE, SOURCE): the properties a 3.0 card may
# carry besides X- extensions, and the ones that take a TYPE parameter.
VCARD3_PROPERTIES = frozenset(
    {
        *("BEGIN", "END", "VERSION", "NAME", "PROFILE", "SOURCE", "FN", "N", "NICKNAME", "PHOTO", "BDAY"),
        *("ADR", "LABEL", "TEL", "EMAIL", "MAILER", "TZ", "GEO", "TITLE", "ROLE", "LOGO", "AGENT", "ORG"),
        *("CATEGORIES", "NOTE", "PRODID", "REV", "SORT-STRING", "SOUND", "UID", "URL", "CLASS", "KEY"),
    }
)
TYPED = frozenset({"ADR", "LABEL", "TEL", "EMAIL", "PHOTO", "LOGO", "SOUND", "KEY"})


def assert_strict_vcard3(text: str) -> None:
    for line in unfold(text).split("\r\n")[:-1]:
        head = line.split(":", 1)[0]
        name, *params = head.split(";")
        assert name in VCARD3_PROPERTIES or name.startswith("X-"), line
        if any(param.upper().startswith("TYPE=") for param in params):
            assert name in TYPED, line


def test_cards_are_strict_vcard_3_and_keep_the_languages() -> None:
    record, _ = one_contact(languages=["ar", "fa-AF"])
    record["offices"][0]["website"] = "https://example.org/ki"
    office_card, contact_card = cards_for(record)
    for card in (office_card, contact_card):
        assert_strict_vcard3(card.text)
    (read,) = read_with_icaljs(contact_card.text)
    assert first(read, "URL").value == "https://example.org/ki"
    assert "Sprachen: ar, fa-AF" in first(read, "NOTE").value.split("\n")
    # jCard speaks vCard 4.0, where LANG is a property of its own
    jcard = json.loads(contact_card.jcard)[1]
    assert [p[3] for p in jcard if p[0] == "lang"] == ["ar", "fa-AF"]


def test_every_shipped_card_is_strict_vcard_3() -> None:
    snapshot = snapshot_of(shipped())
    cards = cache.DirectoryCards(snapshot, BASE)
    for entry in snapshot.municipalities:
        for card in cards.municipality(entry):
            assert_strict_vcard3(card.text)


# -- 9. folds never next to a space ---------------------------------------------------------


def trimming_unfold(text: str) -> str:
    """How careless readers unfold: strip each physical line, then join the continuations."""
    lines = text.split("\r\n")
    joined: list[str] = []
    for line in lines:
        if line[:1] in (" ", "\t") and joined:
            joined[-1] = joined[-1].rstrip() + line.strip()
        else:
            joined.append(line.rstrip())
    return "\r\n".join(joined)


def assert_folds_between_words(text: str) -> None:
    for line, following in itertools.pairwise(text.split("\r\n")):
        if following.startswith(" "):
            assert not following[1:2].isspace(), (line, following)
            assert not line[-1:].isspace(), (line, following)


WORD = st.text(st.characters(categories=["L", "N", "P", "S"]), min_size=1, max_size=20)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORD, min_size=1, max_size=40))
def test_folds_land_between_two_non_spaces(words: list[str]) -> None:
    line = "NOTE:" + " ".join(words)
    folded = fold(line)
    assert unfold(folded) == line
    assert all(len(physical.encode("utf-8")) <= MAX_LINE_OCTETS for physical in folded.split("\r\n"))
    assert_folds_between_words(folded)
    assert trimming_unfold(folded) == line


def test_no_shipped_download_folds_next_to_a_space() -> None:
    snapshot = snapshot_of(shipped())
    cards = cache.DirectoryCards(snapshot, BASE)
    for entry in snapshot.municipalities:
        bundle = cards.municipality_bundle(entry)
        assert_folds_between_words(bundle.vcard.text)
        for card in cards.municipality(entry):
            assert_folds_between_words(cards.card_bundle(card).vcard.text)


# -- 18. the office card's ORG and the address note ---------------------------------------------


def test_office_card_org_is_municipality_then_office_like_the_contact_card() -> None:
    record, _ = one_contact()
    office_card, contact_card = cards_for(record)
    for card in (office_card, contact_card):
        (read,) = read_with_icaljs(card.text)
        assert first(read, "ORG").value == [record["name"], record["offices"][0]["name"]]


def test_the_address_note_reaches_every_card_of_the_office() -> None:
    record, _ = one_contact()
    note = "Eingang über den Hof;\nZimmer 2.14, 2. OG"
    record["offices"][0]["address"]["note"] = note
    for card in cards_for(record):
        (read,) = read_with_icaljs(card.text)
        assert note.replace(";", "\\;") in first(read, "NOTE").value  # ical.js keeps the backslash
        (parsed,) = read_cards(card.text)
        assert note in next(str(p.value) for p in parsed if p.name == "NOTE")
