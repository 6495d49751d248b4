"""vCard text values: what a card may carry, and lines folded at 75 octets (RFC 2425 §5.8.1)."""

from __future__ import annotations

import re

MAX_LINE_OCTETS = 75  # RFC 2425 §5.8.1, counted in octets of UTF-8

_NEWLINES = re.compile(r"\r\n?")
# RFC 2426 text values admit no control characters except HTAB; LF travels as "\n".
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def card_text(value: str) -> str:
    """The form of a text value a vCard can carry, and that reads back unchanged.

    vCard 3.0 has a single newline escape, so CR LF and a lone CR become LF; other
    control characters (which no vCard may contain) are dropped. Everything else,
    including ';', ',', ':', '\\' and any non-ASCII text, is carried exactly.
    """
    return _CONTROLS.sub("", _NEWLINES.sub("\n", value))


def escape_text(value: str) -> str:
    """A text value's vCard 3.0 form: backslash, newline, ',' and ';' escaped (RFC 2426 §4).

    RFC 2426's text grammar admits no bare ';' in any text value, and Evolution (and
    other strict readers) cut FN, TITLE, NOTE or CATEGORIES at one. So every text value
    escapes it — not only N, ADR and ORG, whose components ';' separates. The price:
    ical.js (Thunderbird) reads a vCard 3.0 "\\;" outside N/ADR/ORG with its backslash
    (docs/api.md says so). ',' is escaped for list readers and vobject alike.
    """
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def escape_component(value: str) -> str:
    """A component of a structured value (N, ADR, ORG): escaped as every text value is."""
    return escape_text(value)


# What a URI may hold unencoded in a content line: printable ASCII (RFC 3986 characters).
_URI_UNSAFE = re.compile(r"[^\x21-\x7e]")


def uri_value(value: str) -> str:
    """A URI value's vCard form: the URI itself, never text-escaped (RFC 2426 §5, "uri").

    Backslash escapes belong to text values; clients read URL and SOURCE as URIs and
    would keep the backslashes. Whatever is not printable ASCII is percent-encoded, so
    no line break or space can reach the content line.
    """
    return _URI_UNSAFE.sub(lambda found: "".join(f"%{o:02X}" for o in found[0].encode("utf-8")), value)


# An escape pair stays on one line: unfolding would rejoin a split pair, but some
# importers unescape per physical line.
_FOLD_TOKEN = re.compile(r"\\.|.", re.DOTALL)


def fold(text: str) -> str:
    """Fold every line longer than 75 octets (RFC 2425 §5.8.1).

    Never inside a UTF-8 character or an escape pair, and — wherever the line offers
    another place — never next to a space or tab: unfolding removes exactly the one
    space a fold adds, but readers that trim continuation lines (or the line before)
    would lose a space there and run two words together.
    """
    lines = text.split("\r\n")
    for number, line in enumerate(lines):
        if len(line.encode("utf-8")) > MAX_LINE_OCTETS:
            lines[number] = _fold_line(line)
    return "\r\n".join(lines)


def _fold_line(line: str) -> str:
    tokens = _FOLD_TOKEN.findall(line)
    widths = [len(token.encode("utf-8")) for token in tokens]
    chunks: list[str] = []
    start, room = 0, MAX_LINE_OCTETS
    while start < len(tokens):
        end, size = start, 0
        while end < len(tokens) and size + widths[end] <= room:
            size += widths[end]
            end += 1
        if end < len(tokens):
            end = _break_before(tokens, start, end)
        chunks.append("".join(tokens[start:end]))
        start, room = end, MAX_LINE_OCTETS - 1  # a continuation line starts with a space
    return "\r\n ".join(chunks)


def _break_before(tokens: list[str], start: int, end: int) -> int:
    """The last place in tokens[start + 1 : end + 1] with no blank on either side; else end."""
    for candidate in range(end, start, -1):
        if not tokens[candidate - 1][-1].isspace() and not tokens[candidate][0].isspace():
            return candidate
    return end
