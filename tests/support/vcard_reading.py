"""Reading cards back with vobject, and the wire-format checks every card must pass.

Shared by the unit, property and API tests of the vCard routes.
"""

from __future__ import annotations

import re
from collections import Counter

import vobject

from chalicelib.cards.props import ADR_FIELDS, N_FIELDS, Prop
from chalicelib.cards.text import MAX_LINE_OCTETS

# vobject reads every property it has no behaviour for as text, so it would unescape a
# URI and cut it at its first comma; clients read these as the URIs they are.
URI_PROPERTIES = frozenset({"URL", "SOURCE"})


def _raw_uris(text: str) -> list[dict[str, list[str]]]:
    """The raw values of URI properties, per card: what a client reads."""
    cards: list[dict[str, list[str]]] = []
    for line in unfold(text).split("\r\n"):
        if line == "BEGIN:VCARD":
            cards.append({})
        name = line.split(":", 1)[0].split(";", 1)[0].upper()
        if name in URI_PROPERTIES and cards:
            cards[-1].setdefault(name, []).append(line.split(":", 1)[1])
    return cards


def read_cards(text: str) -> list[list[Prop]]:
    """Parse a .vcf with vobject into the same Prop shape the cards were built from."""
    cards = []
    uris = _raw_uris(text)
    for number, component in enumerate(vobject.readComponents(text)):
        assert component.name == "VCARD"
        props = []
        for line in component.getChildren():
            name = line.name.upper()
            if name == "VERSION":
                assert line.value == "3.0"
                continue
            value = line.value
            if name == "N":
                value = tuple(getattr(value, field) for field in N_FIELDS)
            elif name == "ADR":
                value = tuple(getattr(value, field) for field in ADR_FIELDS)
            elif name in ("ORG", "CATEGORIES"):
                value = tuple(value)
            elif name in URI_PROPERTIES:
                value = uris[number][name].pop(0)
            props.append(Prop(name, value, tuple(line.params.get("TYPE", []))))
        cards.append(props)
    return cards


def same_props(actual: list[Prop], expected: tuple[Prop, ...] | list[Prop]) -> bool:
    """Equal as multisets: vobject orders properties its own way."""
    return Counter(actual) == Counter(expected)


_BARE_LINE_BREAK = re.compile(r"\r(?!\n)|(?<!\r)\n")


def assert_wire_format(text: str, cards: int) -> None:
    """CRLF line ends only, no line over 75 octets, and exactly `cards` cards."""
    assert text.endswith("\r\n")
    assert not _BARE_LINE_BREAK.search(text), "a bare CR or LF"
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= MAX_LINE_OCTETS, line
    physical = text.split("\r\n")
    assert physical.count("BEGIN:VCARD") == cards
    assert physical.count("END:VCARD") == cards


def unfold(text: str) -> str:
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def value_lines(text: str, name: str) -> list[str]:
    """The unfolded lines of one property, e.g. value_lines(text, "TEL")."""
    return [line for line in unfold(text).split("\r\n") if re.match(rf"{name}[;:]", line)]
