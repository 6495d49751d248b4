"""Which characters a written value may hold: what a reader sees is what is stored.

Three checks the write models apply to every text, phone, e-mail and URL field.
Each raises ValueError with the rule, never the value (it reaches clients and logs).
"""

from __future__ import annotations

import re
import unicodedata

# Characters that show nothing, or turn the text around them: Unicode's format
# characters (Cf — U+202E RIGHT-TO-LEFT OVERRIDE, the isolates U+2066–U+2069, U+200B
# ZERO WIDTH SPACE, U+FEFF, the soft hyphen, tag characters, …) and letters and marks
# that render as nothing (Hangul fillers, the combining grapheme joiner, the braille
# blank). In a name they spoof what the widget, the cards and the exports show.
_INVISIBLE_LETTERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
# Variation selectors only pick a glyph form (emoji or text) and never hide anything.
_JOINERS = frozenset("\u200c\u200d")  # ZWNJ and ZWJ


def _joinable(char: str) -> bool:
    """A letter, mark or symbol beyond Latin, Greek and Cyrillic (Arabic, Indic, emoji, …)."""
    return ord(char) >= 0x0590 and unicodedata.category(char)[0] in "LMS"


def _invisible_at(value: str, index: int) -> bool:
    char = value[index]
    if char in _INVISIBLE_LETTERS:
        return True
    if unicodedata.category(char) != "Cf":
        return False
    if char in _JOINERS:
        # Persian and the Indic scripts spell words with ZWNJ/ZWJ between their letters
        # ("می‌خواهم"), emoji sequences join with ZWJ ("👩‍👩‍👧"); between Latin letters
        # or at an end they only hide a difference.
        inside = 0 < index < len(value) - 1
        return not (inside and _joinable(value[index - 1]) and _joinable(value[index + 1]))
    return True


def visible(value: str) -> str:
    """The value, if every character in it shows as what it is; ValueError otherwise."""
    if not value.isascii() and any(_invisible_at(value, i) for i in range(len(value))):
        raise ValueError(
            "must not contain invisible or direction-changing characters "
            "(such as U+200B zero width space or U+202E right-to-left override)"
        )
    return value


# An extension, as people write it after the number: "ext. 89", "x89", "Durchwahl 89",
# "Dw. 89", or RFC 3966's ";ext=89". Anything else with letters is not a phone number.
_EXTENSION = re.compile(
    r"^(?P<number>.*?)\s*(?:;ext=|,?\s*(?:ext\.?|extn\.?|extension|x|durchwahl|dw\.?)\s*)(?P<extension>\d{1,10})$",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")


def phone_without_letters(value: str) -> str:
    """The number with its extension marker written as "ext."; ValueError if letters remain.

    phonenumbers reads letters as keypad digits ("0800 FLOWERS" → +498003569377), so
    "0251 / folgt" would be published as a number nobody meant.
    """
    value = value.removeprefix("tel:")
    found = _EXTENSION.match(value)
    number = found["number"] if found else value
    if _LETTER.search(number):
        raise ValueError(
            "must not contain letters: only digits, spaces, + / - ( ) and an extension "
            "marker such as 'ext.', 'x' or 'Durchwahl' before the extension's digits"
        )
    return f"{number} ext. {found['extension']}" if found else value


# The local part of an address a mailto: link carries as it is: letters and digits of
# any script, and . _ + - '. RFC 5322 allows more (? % & # = / ! ...), but in a mailto:
# link "?" starts headers ("?cc=", "?bcc=") and "%40" decodes to "@", so such an
# address would add recipients to every mail written from the widget.
_LOCAL_PART = re.compile(r"^[\w.+'-]+$")


def mailto_safe(address: str) -> str:
    local, _, _ = address.rpartition("@")
    if not _LOCAL_PART.match(local):
        raise ValueError(
            "the part before '@' may hold only letters, digits and . _ + - ' "
            "(characters such as ? % & # = / would change a mailto: link)"
        )
    return address
