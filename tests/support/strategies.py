"""Hypothesis strategies for values the write model admits, by construction.

Every strategy here yields only what `chalicelib.write.models` accepts, so property
tests spend their examples on the code under test instead of on rejected input
(no `reject()`, no `.filter()`). They lean on the characters that mean something in
vCard syntax (';' ',' ':' '\\' and whole property lines) and on the Unicode that
trips up text handling: umlauts, combining marks, emoji sequences and right-to-left
script; notes also carry line breaks. Bidi controls and invisible characters are
refused by the model (write/characters.py), so they are not drawn here.

The model's rules mirrored here: text fields are stripped of surrounding
whitespace, then bounded (the limits are read from the model's types) and must
hold no control character (C0, DEL, C1, U+2028, U+2029); LongText admits LF, CR LF
and CR, which it stores as LF. Phone numbers must parse and be valid.
"""

from __future__ import annotations

from typing import Any, get_args

from hypothesis import strategies as st
from pydantic import StringConstraints

from chalicelib.write import models


def _limit(text_type: Any) -> int:
    """The max_length of one of the model's Annotated text types."""
    bounds = [c.max_length for c in get_args(text_type)[1:] if isinstance(c, StringConstraints)]
    assert bounds and bounds[0], f"{text_type} has no max_length"
    return bounds[0]


# Limits of the model's text types, in characters after stripping.
SHORT_TEXT, NAME, TOPIC = _limit(models.ShortText), _limit(models.Name), _limit(models.Topic)
LONG_TEXT = _limit(models.LongText)

# What the model strips from both ends (Unicode White_Space, which pydantic trims):
# surrounding it with these changes nothing once the model has the value.
PADDING = (
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x85",
    "\xa0",
    "\u2007",
    "\u2028",
    "\u2029",
    "\u202f",
    "\u3000",
)

# Pieces with a meaning in vCard text, or a known way of breaking text handling.
VCARD_SYNTAX = (
    ";",
    ",",
    ":",
    "\\",
    "\\n",
    "\\,",
    "\\;",
    '"',
    "=",
    "BEGIN:VCARD",
    "END:VCARD",
    "X-EVIL:1",
    "TEL:+1",
    "item1.",
)
UNICODE = (
    "ä",
    "Ö",
    "ß",
    "ẞ",
    "€",
    "İ",
    "ﬁ",
    "ǅ",  # case mapping that changes length or shape
    "e\u0301",
    "\u0301",
    "a\u0308\u0323",  # combining marks, also leading
    "😀",
    "👩\u200d👩\u200d👧",
    "🇩🇪",
    "👍🏽",
    "🏳️\u200d🌈",  # astral, ZWJ sequences, flags, modifiers
    "محمد",
    "مرحبا بكم",
    "שלום",
    "می\u200cخواهم",  # RTL script, a ZWNJ between Persian letters
    "\xa0",
    "\u3000",  # non-breaking and wide spaces inside
    "東京",
    "Ελλάδα",
    "Ñandú",
)
_PIECES = VCARD_SYNTAX + UNICODE

# Any character the model admits inside single-line text: no surrogates (they cannot be
# UTF-8), no control characters (Cc is C0, DEL and C1), no line or paragraph separator.
# Nor format characters (Cf) or invisible letters: the model refuses them.
_INVISIBLE = "\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0"
_INNER = st.characters(exclude_categories=["Cs", "Cc", "Cf", "Zl", "Zp"], exclude_characters=_INVISIBLE)
# ... and at either end one that is not whitespace, so stripping leaves it alone.
_EDGE_CHAR = st.characters(
    exclude_categories=["Cs", "Cc", "Cf", "Zl", "Zp", "Zs"], exclude_characters=_INVISIBLE
)
_EDGE = st.one_of(
    st.sampled_from([p for p in _PIECES if not p[0].isspace() and not p[-1].isspace()]), _EDGE_CHAR
)
# Runs of any admitted characters, drawn as one string each (much cheaper than per character).
_MIDDLE_PIECE = st.one_of(st.sampled_from(_PIECES), st.text(_INNER, min_size=1, max_size=4))


def _text(
    limit: int, pieces: int, piece: st.SearchStrategy[str], min_pieces: int = 0
) -> st.SearchStrategy[str]:
    """Up to `limit` characters that start and end with a non-space: the model strips nothing."""

    def assemble(parts: tuple[str, list[str], str]) -> str:
        first, middle, last = parts
        # A cut through a joined sequence (emoji, Persian) must not leave a joiner at its end.
        body = (first + "".join(middle))[: limit - len(last)].rstrip("\u200c\u200d")
        # Cut short, the body may end in whitespace; `first` keeps it from becoming empty.
        return body + last if last else body.rstrip()

    middle = st.lists(piece, min_size=min_pieces, max_size=max(pieces, min_pieces))
    return st.tuples(_EDGE, middle, st.just("") | _EDGE).map(assemble)


def single_line(limit: int, *, pieces: int = 12, min_pieces: int = 0) -> st.SearchStrategy[str]:
    """One line of text exactly as the model stores it, of about 2 to `pieces` + 2 pieces.

    Hypothesis keeps lists short on average; `min_pieces` makes long values common.
    """
    return _text(limit, pieces, _MIDDLE_PIECE, min_pieces)


def multi_line(limit: int = LONG_TEXT, *, pieces: int = 24, min_pieces: int = 2) -> st.SearchStrategy[str]:
    """A note exactly as the model stores it: lines joined by LF, blank lines too."""
    return _text(limit, pieces, st.one_of(_MIDDLE_PIECE, st.just("\n")), min_pieces)


def padding() -> st.SearchStrategy[str]:
    """Whitespace, line breaks too, that the model strips from the ends of a text."""
    return st.lists(st.sampled_from(PADDING), max_size=3).map("".join)


def padded(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """`text` as an editor might send it: between whitespace the model strips."""
    return st.tuples(padding(), text, padding()).map("".join)


def newline_spellings() -> st.SearchStrategy[list[str]]:
    """How an editor's client may write line breaks: LF, CR LF or CR, in turn."""
    return st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=1, max_size=8)


def respell_newlines(note: str, spellings: list[str]) -> str:
    """`note` with its LFs written as `spellings`, cycling; the model stores it as `note`."""
    lines = note.split("\n")
    out = [lines[0]]
    for number, line in enumerate(lines[1:]):
        spelling = spellings[number % len(spellings)]
        if spelling == "\r" and not line:
            spelling = "\r\n"  # CR followed by the next LF would read as one CR LF break
        out.append(spelling + line)
    return "".join(out)


def any_newlines(note: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A note as it may arrive: each LF written as LF, CR LF or CR (the model stores LF).

    The model bounds a note before it turns CR LF into LF, so a CR LF counts twice:
    give this a note of at most half the limit (multi_line(LONG_TEXT // 2)).
    """
    return st.builds(respell_newlines, note, newline_spellings())


# Köln, Düsseldorf, Münster, Steinfurt, Dortmund, Essen: subscriber numbers of 5 to 8 digits
# are valid German fixed-line numbers there; these mobile prefixes take 8 digits.
_AREAS = ("221", "211", "251", "2551", "231", "201")
_PHONE_FORMATS = (
    "0{area} {number}",
    "+49 {area} {number}",
    "+49 (0){area} {number}",
    "0049 {area}-{number}",
    "0{area}/{number}",
)


def phone_number() -> st.SearchStrategy[str]:
    """A German phone number in one of the spellings editors use; the model stores it as E.164."""
    fixed = st.builds(
        lambda fmt, area, number: fmt.format(area=area, number=number),
        st.sampled_from(_PHONE_FORMATS),
        st.sampled_from(_AREAS),
        st.integers(10_000, 99_999_999),
    )
    mobile = st.builds(
        lambda prefix, number: f"+49 {prefix} {number}",
        st.sampled_from(["151", "152", "176"]),
        st.integers(10_000_000, 99_999_999),
    )
    return fixed | mobile


LANGUAGE_TAGS = ("de", "en", "ar", "fa-AF", "sr-Latn", "ti", "tr", "uk", "ku", "ar-SY")


def language_tags() -> st.SearchStrategy[list[str]]:
    """Canonical BCP 47 tags, each at most once (the model de-duplicates case-insensitively)."""
    return st.lists(st.sampled_from(LANGUAGE_TAGS), max_size=3, unique_by=str.casefold)


def topics(*, pieces: int = 6) -> st.SearchStrategy[list[str]]:
    """Topics the model keeps as they are: distinct also when case-folded."""
    return st.lists(single_line(TOPIC, pieces=pieces), max_size=4, unique_by=str.casefold)
