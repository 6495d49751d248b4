"""QR codes of vCards as SVG, for posters and print.

The only module that imports segno, and only inside a function: importing it costs
~40 ms that the JSON routes must not pay at cold start.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from .props import Prop
from .render import Card, vcard

# Error correction M survives ~15 % damage (a poster with a staple through it);
# segno raises it further when the version has room to spare.
ERROR_LEVEL = "m"
SCALE = 4  # px per module: ~1 cm per 10 modules at 96 dpi; SVG scales losslessly anyway
BORDER = 4  # the quiet zone ISO/IEC 18004 asks for
# Opaque, so a decoder that composites the image onto black (a dark-mode viewer, a
# transparent poster layer) still sees dark modules on light, quiet zone included.
LIGHT, DARK = "#fff", "#000"

# What a phone needs from a poster to call or write someone, when the whole card does
# not fit: name, organisation, phone, e-mail and web site.
ESSENTIALS = ("N", "FN", "ORG", "TEL", "EMAIL", "URL")
# Characters kept per text value in turn, until the card fits (None: all of it).
_LIMITS = (None, 80, 40, 20, 12)
ELLIPSIS = "…"


def _segno() -> Any:
    import segno  # deferred: see the module docstring

    return segno


def _shortened(value: str, limit: int | None) -> str:
    if limit is None or len(value) <= limit:
        return value
    return value[: limit - 1].rstrip() + ELLIPSIS


def _essentials(props: tuple[Prop, ...], limit: int | None, with_url: bool) -> list[Prop]:
    kept = []
    for prop in props:
        if prop.name not in ESSENTIALS or (prop.name == "URL" and not with_url):
            continue
        if prop.name in ("N", "FN", "ORG"):
            value: str | tuple[str, ...] = (
                tuple(_shortened(part, limit) for part in prop.value)
                if isinstance(prop.value, tuple)
                else _shortened(prop.value, limit)
            )
            prop = Prop(prop.name, value, prop.types)
        kept.append(prop)
    return kept


def payloads(card: Card) -> Iterator[str]:
    """What the code may hold, best first: the whole card, then ever shorter essentials."""
    yield card.text
    for with_url in (True, False):
        for limit in _LIMITS:
            yield vcard(_essentials(card.props, limit, with_url))


def _code(card: Card) -> tuple[str, Any]:
    segno = _segno()
    for candidate in payloads(card):
        try:
            return candidate, segno.make(candidate, error=ERROR_LEVEL, micro=False, encoding="utf-8")
        except segno.DataOverflowError:
            continue
    # Twelve characters of a name, two phone numbers and an e-mail address (254 octets
    # at most, by the write model) always fit: reaching this is a bug, not a record.
    raise RuntimeError(f"no QR code holds card {card.id}")


def payload(card: Card) -> str:
    """The vCard text the card's QR code holds: the card itself, or its essentials."""
    return _code(card)[0]


def card_svg(card: Card) -> str:
    """An SVG QR code of the card (UTF-8, byte mode), as text; every public contact gets one.

    The whole card when it fits (2,331 octets at level M), else its essentials
    shortened until they fit: never an error on a read.
    """
    _, code = _code(card)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=SCALE, border=BORDER, xmldecl=True,
              title=f"vCard: {card.display_name}", svgclass=None, lineclass=None, light=LIGHT, dark=DARK)
    return buffer.getvalue().decode("utf-8")
