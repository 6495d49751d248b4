"""Hypothesis strategies for directory records in canonical form (no nulls, no empty lists).

The values are admissible — the write-side models accept every generated record (see
``test_generated_records_are_admissible``) — so nothing is discarded, and they lean on what
breaks files: ``;`` ``,`` quotes, apostrophes, a leading ``=`` ``+`` ``-`` ``@``, umlauts, ß,
emoji, combining marks, line breaks in the address note. Everything is synthetic: keys under
the non-existent Kreis 05999, mail at example.org, Köln's area code with random digits.
"""

from __future__ import annotations

import string
from datetime import date
from typing import Any

from hypothesis import strategies as st

TRICKY = [";", ",", '"', "'", "=", "+", "-", "@", " ", "ä", "Ö", "ü", "ß", "€", "😀", "\u0301", "|", "\\"]
# No control characters (the models reject them), no surrogates (not UTF-8), no unassigned
# code points (XML, and so XLSX, cannot hold U+FFFE or U+FFFF), no format characters or
# invisible letters (the models refuse them: chalicelib/write/characters.py).
_CHAR = st.characters(
    exclude_categories=["Cc", "Cs", "Cn", "Cf", "Zl", "Zp"],
    exclude_characters="\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0",
)


def text(max_size: int, *, multiline: bool = False) -> st.SearchStrategy[str]:
    pieces = [st.sampled_from(TRICKY), _CHAR]
    if multiline:
        pieces.append(st.just("\n"))
    raw = st.lists(st.one_of(*pieces), min_size=1, max_size=max_size).map("".join)
    # What the models store: stripped, non-empty; max_size is in pieces, so cut to characters.
    return raw.map(lambda s: s.strip()[:max_size].strip()).filter(bool)


def optional(required: dict[str, Any], extra: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict with the required keys and any subset of the optional ones."""
    return st.fixed_dictionaries(required, optional=extra)


iso_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)).map(date.isoformat)
partial_dates = st.one_of(
    st.integers(2015, 2025).map(str),
    st.tuples(st.integers(2015, 2025), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    iso_dates,
)
# Built from character sets rather than st.from_regex: the same strings, and a third of the
# generation time of a directory was spent in the regex machinery.
_LOWER_DIGITS = string.ascii_lowercase + string.digits


def _optional(prefix: str, alphabet: str, max_size: int) -> st.SearchStrategy[str]:
    """"" or the prefix and 1..max_size characters of the alphabet: regex `(prefix[…]{1,n})?`."""
    return st.one_of(st.just(""), st.text(alphabet, min_size=1, max_size=max_size).map(prefix.__add__))


# https://example\.org/[a-z0-9_~%\-]{0,20}(/[a-z0-9\-]{1,8})?(\?q=[a-z0-9]{1,5})?
urls = st.builds(
    lambda path, sub, query: f"https://example.org/{path}{sub}{query}",
    st.text(_LOWER_DIGITS + "_~%-", max_size=20),
    _optional("/", _LOWER_DIGITS + "-", 8),
    _optional("?q=", _LOWER_DIGITS, 5),
)
phones = st.builds(lambda n, intl: f"+49 221 {n}" if intl else f"0221 {n}", st.integers(1000000, 9999999),
                   st.booleans())
# [a-z][a-z0-9]{0,8}(\.[a-z0-9]{1,8})?@example.org
emails = st.builds(
    lambda first, rest, dotted: f"{first}{rest}{dotted}@example.org",
    st.sampled_from(string.ascii_lowercase),
    st.text(_LOWER_DIGITS, max_size=8),
    _optional(".", _LOWER_DIGITS, 8),
)
languages = st.lists(st.sampled_from(["de", "en", "ar", "fa-AF", "sr-Latn", "uk", "ti", "ku"]),
                     max_size=4, unique=True)
topics = st.lists(text(60), max_size=4, unique_by=str.casefold)

milestone = optional(
    {
        "kind": st.sampled_from(
            ["expression_of_interest", "starter_workshop", "alliance_founded", "joined", "funding", "other"]
        ),
        "label": text(120),
    },
    {"date": partial_dates, "source": urls},
)

address = optional(
    {"locality": text(40)},
    {
        "street": text(40),
        "postal_code": st.text(st.characters(categories=["Nd"]), min_size=5, max_size=5),  # \d{5}
        "region": text(30),
        "country": st.text(string.ascii_uppercase, min_size=2, max_size=2),
        "note": text(200, multiline=True),
    },
)

contact = optional(
    {"given_name": text(40), "family_name": text(40)},
    {
        "title": text(20),
        "function": text(60),
        "phone": phones,
        "fax": phones,
        "email": emails,
        "languages": languages.filter(bool),
        "topics": topics.filter(bool),
        "public": st.booleans(),
    },
)


# An id stem and its index in the list: [A-Za-z0-9_-]{3,20} and c-[0-9a-f]{8} once numbered.
office_id_stems = st.text(string.ascii_letters + string.digits + "_-", min_size=2, max_size=19)
contact_id_stems = st.text("0123456789abcdef", min_size=7, max_size=7).map("c-".__add__)


def _numbered(stems: list[str]) -> list[str]:
    return [f"{stem}{index}" for index, stem in enumerate(stems)]  # at most 9: one digit


@st.composite
def offices(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Offices with ids unique in the municipality, contact ids unique across its offices.

    Distinct by construction (each id ends in its own index digit), not by a uniqueness
    filter: drawing unique regex strings made a third of all examples give up.
    """
    office_ids = draw(st.lists(office_id_stems, max_size=3).map(_numbered))
    contact_ids = iter(draw(st.lists(contact_id_stems, min_size=9, max_size=9).map(_numbered)))
    result = []
    for office_id in office_ids:
        office = draw(
            optional(
                {"id": st.just(office_id), "name": text(80)},
                {
                    "role": text(40),
                    "address": address,
                    "phone": phones,
                    "fax": phones,
                    "email": emails,
                    "website": urls,
                },
            )
        )
        people = draw(st.lists(contact, max_size=3))
        for person in people:
            if draw(st.booleans()):
                person["id"] = next(contact_ids)  # a contact without an id is a new one
        if people:
            office["contacts"] = people
        result.append(office)
    return result


@st.composite
def municipality(draw: st.DrawFn, municipality_id: str) -> dict[str, Any]:
    participation = draw(
        optional(
            {"status": st.sampled_from(["confirmed", "reported"])},
            {
                "since": partial_dates,
                "milestones": st.lists(milestone, min_size=1, max_size=3),
                "sources": st.lists(urls, min_size=1, max_size=3, unique=True),
            },
        )
    )
    if len(municipality_id) == 8 and draw(st.booleans()):
        participation["via"] = municipality_id[:5]
    record = draw(
        optional(
            {"id": st.just(municipality_id), "participation": st.just(participation)},
            {
                "name": text(60),
                "kind": st.sampled_from(["kreisfreie Stadt", "Kreis", "StädteRegion", "kreisangehörige Stadt",
                                         "Gemeinde"]),
                "regierungsbezirk": st.sampled_from(["Arnsberg", "Detmold", "Düsseldorf", "Köln", "Münster"]),
                "seat": text(40),
                # Up to 7 decimals (the reference table has 6): XLSX numbers keep 16 significant
                # digits, as Excel does 15, so a float needing all 17 would not come back.
                "coordinates": st.fixed_dictionaries(
                    {
                        "lat": st.integers(-90 * 10**7, 90 * 10**7).map(lambda n: n / 10**7),
                        "lon": st.integers(-180 * 10**7, 180 * 10**7).map(lambda n: n / 10**7),
                    }
                ),
                "population": st.fixed_dictionaries(
                    {"count": st.integers(0, 20_000_000), "as_of": iso_dates}
                ),
                "website": urls,
            },
        )
    )
    found = draw(offices())
    if found:
        record["offices"] = found
    return record


@st.composite
def directories(draw: st.DrawFn, max_size: int = 4) -> list[dict[str, Any]]:
    """Municipality records with distinct keys under the imaginary Kreis 05999."""
    suffixes = draw(st.lists(st.integers(0, 999), max_size=max_size, unique=True))
    ids = ["05999" if n == 0 else f"05999{n:03d}" for n in suffixes]
    return [draw(municipality(i)) for i in ids]
