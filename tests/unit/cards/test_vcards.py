"""Cards from snapshot views: content, wire format, folding, jCard, caching."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from chalicelib.cards import cache, props, render, text
from chalicelib.cards.props import Prop
from chalicelib.domain.snapshot import Snapshot
from tests.support.snapshots import shipped, snapshot_of
from tests.support.synthetic import Synthetic
from tests.support.vcard_reading import assert_wire_format, read_cards, same_props, unfold, value_lines

HIERONIMUS = "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"
BASE = "https://api.example.org/api"
# One container's card cache, as bootstrap.cards() holds it for the app.
cards_for = cache.CardCache().get


@pytest.fixture(scope="module")
def shipped_snapshot() -> Snapshot:
    return snapshot_of(shipped())


def props_of(card: render.Card) -> dict[str, list[Prop]]:
    found: dict[str, list[Prop]] = {}
    for prop in card.props:
        found.setdefault(prop.name, []).append(prop)
    return found


def test_hieronimus_card_says_what_the_seed_page_says(shipped_snapshot: Snapshot) -> None:
    card = cache.DirectoryCards(shipped_snapshot, BASE).card("contact", HIERONIMUS)
    assert card is not None
    text = card.text
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert value_lines(text, "N") == ["N:Hieronimus;Stephanie;;;"]
    assert value_lines(text, "FN") == ["FN:Stephanie Hieronimus"]
    assert value_lines(text, "TITLE") == ["TITLE:Kommunales Integrationszentrum"]
    # 02551 69-2743 and 02551 69-92743 on the seed page, dialable from abroad here
    assert sorted(value_lines(text, "TEL")) == [
        "TEL;TYPE=WORK,FAX:+49 2551 6992743",
        "TEL;TYPE=WORK,VOICE:+49 2551 692743",
    ]
    assert value_lines(text, "EMAIL") == ["EMAIL;TYPE=INTERNET,WORK:stephanie.hieronimus@kreis-steinfurt.de"]
    assert value_lines(text, "ORG") == ["ORG:Kreis Steinfurt;Kommunales Integrationszentrum Kreis Steinfurt"]
    assert value_lines(text, "CATEGORIES") == ["CATEGORIES:Integration"]
    assert value_lines(text, "SOURCE") == [f"SOURCE:{BASE}/contacts/{HIERONIMUS}/vcard"]
    note = value_lines(text, "NOTE")[0]
    assert "Gemeinsam klappt's" in note
    assert "Kreis Steinfurt" in note
    assert_wire_format(text, cards=1)


def test_every_shipped_card_reads_back_field_by_field(shipped_snapshot: Snapshot) -> None:
    cards = cache.DirectoryCards(shipped_snapshot, BASE)
    everything = [card for entry in shipped_snapshot.municipalities for card in cards.municipality(entry)]
    text = "".join(card.text for card in everything)
    assert_wire_format(text, cards=len(everything))
    for card, parsed in zip(everything, read_cards(text), strict=True):
        assert same_props(parsed, card.props), card.id


def test_office_card_is_an_organisation_with_its_address(shipped_snapshot: Snapshot) -> None:
    card = cache.DirectoryCards(shipped_snapshot, None).card("office", "ki-duisburg")
    assert card is not None
    props = props_of(card)
    assert props["X-ABSHOWAS"] == [Prop("X-ABSHOWAS", "COMPANY")]
    assert props["N"] == [Prop("N", ("", "", "", "", ""))]
    assert props["FN"][0].value == "Kommunales Integrationszentrum Duisburg"
    address = ("", "", "Alter Markt 23", "Duisburg", "Nordrhein-Westfalen", "47051", "Deutschland")
    assert props["ADR"] == [Prop("ADR", address, ("WORK",))]
    assert "SOURCE" not in props  # no base: no relative SOURCE either
    assert same_props(read_cards(card.text)[0], card.props)


def test_contact_card_carries_office_address_languages_and_revision() -> None:
    synthetic = Synthetic(seed=7)
    record = synthetic.municipality(contacts=1)
    record["updated_at"] = "2024-03-01T10:00:00+01:00"
    contact = record["offices"][0]["contacts"][0]
    contact.update(languages=["ar", "fa-AF"], title="Dr.")
    snapshot = snapshot_of([synthetic.model(**record)])
    card = cache.DirectoryCards(snapshot, BASE).card("contact", contact["id"])
    assert card is not None
    props = props_of(card)
    assert props["REV"] == [Prop("REV", "2024-03-01T09:00:00Z")]
    assert "LANG" not in props  # vCard 4.0's; a 3.0 card says it in the NOTE
    assert str(props["NOTE"][0].value).endswith("\nSprachen: ar, fa-AF")
    assert props["N"][0].value == (contact["family_name"], contact["given_name"], "", "Dr.", "")
    assert props["FN"][0].value == f"Dr. {contact['given_name']} {contact['family_name']}"
    address = record["offices"][0]["address"]
    assert props["ADR"][0].value[2:4] == (address["street"], address["locality"])
    assert same_props(read_cards(card.text)[0], card.props)


def test_uid_depends_on_the_id_only(shipped_snapshot: Snapshot) -> None:
    first = cache.DirectoryCards(shipped_snapshot, BASE).card("contact", HIERONIMUS)
    later = cache.DirectoryCards(snapshot_of(shipped(), revision=9), "http://localhost:8000").card(
        "contact", HIERONIMUS
    )
    assert first is not None and later is not None
    assert props_of(first)["UID"] == props_of(later)["UID"]
    assert str(props_of(first)["UID"][0].value).startswith("urn:uuid:")
    assert props.uid("contact", "c-one") != props.uid("contact", "c-two")
    assert props.uid("contact", "same") != props.uid("office", "same")


def test_non_public_contacts_appear_in_no_card() -> None:
    synthetic = Synthetic(seed=11)
    record = synthetic.municipality(contacts=1)
    hidden = synthetic.contact(public=False)
    record["offices"][0]["contacts"].append(hidden)
    snapshot = snapshot_of([synthetic.model(**record)])
    cards = cache.DirectoryCards(snapshot, BASE)
    assert cards.card("contact", hidden["id"]) is None
    vcf = render.render_directory_uncached(snapshot, BASE)
    jcards = cards.selection(snapshot.municipalities).jcard.text
    subscriber = hidden["phone"].replace(" ", "")[3:]  # without +49: matches any formatting
    for secret in (hidden["id"], hidden["family_name"], hidden["email"], subscriber):
        assert secret not in unfold(vcf).replace(" ", "")
        assert secret not in jcards.replace(" ", "").replace("-", "")
    assert len(read_cards(vcf)) == 2  # the office and the public contact
    assert len(json.loads(jcards)) == 2


# -- folding and text ---------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "FN:" + "ä" * 70,  # 143 octets in 73 characters: vobject 0.9.9 leaves it unfolded
        "NOTE:" + "😀" * 40,
        "NOTE:" + "a" * 71 + "é" * 3,  # a 2-octet character straddling octet 75
        "NOTE:" + "x" * 69 + "\\n" + "y" * 20,  # an escape pair straddling octet 75
        "X:" + "\\\\" * 50,
    ],
)
def test_fold_keeps_lines_within_75_octets_and_characters_whole(line: str) -> None:
    folded = text.fold(line)
    physical = folded.split("\r\n")
    assert len(physical) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert unfold(folded) == line
    for piece in physical:
        # an escape pair is never split: no piece ends in an odd run of backslashes
        trailing = len(piece) - len(piece.rstrip("\\"))
        assert trailing % 2 == 0, piece


def test_fold_leaves_short_lines_alone() -> None:
    line = "FN:" + "a" * 72
    assert text.fold(line) == line
    assert text.fold(line + "a") != line + "a"


def test_long_umlaut_names_are_folded_on_the_card() -> None:
    synthetic = Synthetic(seed=3)
    record = synthetic.municipality(contacts=1)
    record["offices"][0]["contacts"][0].update(given_name="Ää" * 30, family_name="Öö" * 30)
    snapshot = snapshot_of([synthetic.model(**record)])
    text = render.render_directory_uncached(snapshot, BASE)
    assert_wire_format(text, cards=2)
    name = next(prop for prop in read_cards(text)[1] if prop.name == "N")
    assert name.value[:2] == ("Öö" * 30, "Ää" * 30)


@pytest.mark.parametrize(
    ("given", "carried"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\nb", "a\nb"),
        ("a\x00b\x1bc\x7f", "abc"),
        ("tab\there", "tab\there"),
        ("; , : \\ \" '", "; , : \\ \" '"),
    ],
)
def test_card_text_keeps_what_vcard_can_carry(given: str, carried: str) -> None:
    assert text.card_text(given) == carried


# -- jCard ----------------------------------------------------------


def test_jcard_says_what_the_vcard_says(shipped_snapshot: Snapshot) -> None:
    cards = cache.DirectoryCards(shipped_snapshot, BASE)
    contact = cards.card("contact", HIERONIMUS)
    office = cards.card("office", "ki-duisburg")
    assert contact is not None and office is not None
    kind, properties = json.loads(contact.jcard)
    assert kind == "vcard"
    by_name: dict[str, list[list[object]]] = {}
    for prop in properties:
        assert len(prop) >= 4 and isinstance(prop[1], dict) and isinstance(prop[2], str)
        by_name.setdefault(prop[0], []).append(prop)
    assert by_name["version"] == [["version", {}, "text", "4.0"]]
    assert by_name["n"] == [["n", {}, "text", ["Hieronimus", "Stephanie", "", "", ""]]]
    assert by_name["fn"] == [["fn", {}, "text", "Stephanie Hieronimus"]]
    assert ["tel", {"type": ["work", "voice"]}, "uri", "tel:+49-2551-692743"] in by_name["tel"]
    email = "stephanie.hieronimus@kreis-steinfurt.de"
    assert by_name["email"] == [["email", {"type": "work"}, "text", email]]
    assert by_name["categories"] == [["categories", {}, "text", "Integration"]]
    # every vCard property has its jCard counterpart
    assert {p.name.lower() for p in contact.props} == set(by_name) - {"version"}

    _, office_properties = json.loads(office.jcard)
    assert ["kind", {}, "text", "org"] in office_properties
    adr = next(p for p in office_properties if p[0] == "adr")
    assert adr == ["adr", {"type": "work"}, "text",
                   ["", "", "Alter Markt 23", "Duisburg", "Nordrhein-Westfalen", "47051", "Deutschland"]]


# -- rendered once per snapshot ---------------------------------------------------------


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Prop, ...]]:
    """Every card serialised from now on: a cache hit adds nothing here."""
    rendered: list[tuple[Prop, ...]] = []
    real = render.vcard

    def counting(props: tuple[Prop, ...]) -> str:
        rendered.append(props)
        return real(props)

    monkeypatch.setattr(render, "vcard", counting)
    return rendered


def test_cards_render_once_per_snapshot_and_base(renders: list[tuple[Prop, ...]]) -> None:
    snapshot = snapshot_of(shipped())
    cards_for(snapshot, BASE).card("contact", HIERONIMUS)
    assert len(renders) == 2  # Kreis Steinfurt: its office and its one public contact
    cards_for(snapshot, BASE).card("contact", HIERONIMUS)
    cards_for(snapshot, BASE).card("office", "ki-kreis-steinfurt")
    cards_for(snapshot, BASE).selection([snapshot.by_id["05566"]])
    assert len(renders) == 2

    newer = snapshot_of(shipped(), revision=2)
    cards_for(newer, BASE).card("contact", HIERONIMUS)
    assert len(renders) == 4  # a new snapshot renders afresh ...
    cards_for(snapshot, BASE).card("contact", HIERONIMUS)
    assert len(renders) == 6  # ... and the old one's cards were dropped, not kept beside it


def test_card_cache_holds_a_bounded_number_of_bases(renders: list[tuple[Prop, ...]]) -> None:
    snapshot = snapshot_of(shipped())
    bases = [f"https://{n}.example.org" for n in range(10)]

    def ask(base: str) -> None:
        cards_for(snapshot, base).card("contact", HIERONIMUS)

    for base in bases:
        ask(base)
    assert len(renders) == 2 * len(bases)  # SOURCE differs by base: each base renders its own
    for base in bases[-cache.CardCache.BASES :]:
        ask(base)  # the most recent bases are kept: asking again renders nothing
    assert len(renders) == 2 * len(bases)
    ask(bases[0])  # the oldest base was evicted: asking again renders afresh
    assert len(renders) == 2 * len(bases) + 2


def test_importing_the_app_loads_neither_vobject_nor_segno() -> None:
    # Cold starts of the JSON routes must not pay ~90 ms for the card and QR libraries.
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import app, sys; print(sorted(sys.modules))"],
        cwd=root, capture_output=True, text=True, check=True,
    )
    imported = result.stderr
    assert "chalicelib.routes.cards" in imported  # the routes are there ...
    for module in ("vobject", "segno"):  # ... their libraries are not
        assert not re.search(rf"\|\s+{module}(\.|$)", imported, re.MULTILINE), module
        assert f"'{module}'" not in result.stdout


def test_selections_are_cached_but_bounded(
    shipped_snapshot: Snapshot, renders: list[tuple[Prop, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled: list[str] = []
    real = cache.bundle

    def counting(cards: Sequence[render.Card], filename: str) -> cache.Bundle:
        bundled.append(filename)
        return real(cards, filename)

    monkeypatch.setattr(cache, "bundle", counting)
    cards = cache.DirectoryCards(shipped_snapshot, BASE)
    entries = shipped_snapshot.municipalities
    first = cards.selection(entries[:2])
    cards.selection(entries[:2])
    assert len(bundled) == 1  # the second ask is a cache hit
    for n in range(cards.SELECTIONS):
        cards.selection([entries[n]])
    assert len(bundled) == 1 + cards.SELECTIONS
    rendered = len(renders)
    again = cards.selection(entries[:2])
    assert len(bundled) == 2 + cards.SELECTIONS  # evicted: bundled again ...
    assert len(renders) == rendered  # ... from the per-municipality cards, none rendered anew
    assert again == first
