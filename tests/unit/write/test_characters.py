"""Invisible and direction-changing characters, mailto:-changing e-mails, URLs with logins."""

from __future__ import annotations

import sys
import unicodedata
from typing import Any

import pytest
from pydantic import ValidationError

from chalicelib.write.models import Address, Contact, Municipality, Office
from tests.support.synthetic import Synthetic

# Every format character (Cf) Unicode has: the bidi overrides, embeddings, isolates and
# marks, the zero-width characters, U+FEFF, the soft hyphen, tags, …
FORMAT_CHARACTERS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
SPOOFERS = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c",
            "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\U000e0041",
            "\u3164", "\u115f", "\u034f", "\u2800"]  # fmt: skip


def refused_at(build: Any) -> list[tuple[int | str, ...]]:
    with pytest.raises(ValidationError) as raised:
        build()
    assert all("invisible or direction-changing" in e["msg"] for e in raised.value.errors())
    return [tuple(e["loc"]) for e in raised.value.errors()]


def test_the_spoofers_named_in_the_issue_are_format_characters_or_listed() -> None:
    assert {"\u202e", "\u200b", "\u2066"} <= set(FORMAT_CHARACTERS)
    assert len(FORMAT_CHARACTERS) > 150


@pytest.mark.parametrize("char", SPOOFERS, ids=lambda c: f"U+{ord(c):04X}")
def test_invisible_characters_are_refused_in_names_functions_and_office_names(char: str) -> None:
    assert refused_at(lambda: Contact(given_name=f"Ad{char}min", family_name="B")) == [("given_name",)]
    assert refused_at(lambda: Contact(given_name="A", family_name="B", function=f"Leitung{char}")) == [
        ("function",)
    ]
    assert refused_at(lambda: Office(id="o-1", name=f"{char}Kommunales Integrationszentrum")) == [("name",)]
    assert refused_at(lambda: Address(locality="Kleve", note=f"Raum{char} 3\nEingang B")) == [("note",)]


def test_every_format_character_is_refused_between_latin_letters() -> None:
    for char in FORMAT_CHARACTERS:
        with pytest.raises(ValidationError):
            Contact(given_name="A", family_name=f"Mei{char}er")


def test_a_municipality_name_and_a_topic_refuse_them_too() -> None:
    record = Synthetic(seed=3).municipality(contacts=1)
    record["name"] = "Stadt \u202eKleve"
    record["offices"][0]["contacts"][0]["topics"] = ["Ausbildung\u200b"]
    with pytest.raises(ValidationError) as raised:
        Municipality.model_validate(record)
    assert {tuple(e["loc"]) for e in raised.value.errors()} == {
        ("name",),
        ("offices", 0, "contacts", 0, "topics", 0),
    }


@pytest.mark.parametrize(
    "text",
    ["می\u200cخواهم", "👩\u200d👩\u200d👧", "🏳️\u200d🌈", "क्\u200dष", "محمد علی", "Ñandú", "e\u0301"],
)
def test_joiners_inside_scripts_and_emoji_that_need_them_are_kept(text: str) -> None:
    assert Contact(given_name=text, family_name="B", topics=[text]).given_name == text


@pytest.mark.parametrize(
    "email",
    [
        "x?cc=evil%40evil.example@example.org",
        "x?bcc=evil@example.org",
        "a%40b@example.org",
        "a#b@example.org",
        "a&body=hi@example.org",
        "a/b@example.org",
        "a=b@example.org",
        "a!b@example.org",
    ],
)
def test_an_email_that_would_change_a_mailto_link_is_refused(email: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Contact(given_name="A", family_name="B", email=email)
    assert [tuple(e["loc"]) for e in raised.value.errors()] == [("email",)]
    with pytest.raises(ValidationError):
        Office(id="o-1", name="Büro", email=email)


@pytest.mark.parametrize(
    "email",
    ["ki@kreis-steinfurt.de", "anna.o'brien+gk@kreis-kleve.de", "m_yilmaz-2@stadt.de", "jürgen@köln.de"],
)
def test_ordinary_emails_are_kept(email: str) -> None:
    assert Contact(given_name="A", family_name="B", email=email).email


@pytest.mark.parametrize(
    "url",
    ["https://user:pw@example.org/", "https://user@example.org/", "https://www.kreis-kleve.de@evil.example/"],
)
def test_a_url_with_a_login_is_refused(url: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Office.model_validate({"id": "o-1", "name": "Büro", "website": url})
    assert [tuple(e["loc"]) for e in raised.value.errors()] == [("website",)]
    record = Synthetic(seed=4).municipality(contacts=0)
    record["participation"]["sources"] = [url]
    with pytest.raises(ValidationError):
        Municipality.model_validate(record)
