"""Content negotiation for cards: vCard (the default) or jCard, else 406."""

from __future__ import annotations

import functools

from ..domain.errors import NotAcceptable

JCARD_TYPE = "application/vcard+json"
# Media ranges that mean "a vCard" to older clients as well.
_VCARD_ALIASES = frozenset({"text/vcard", "text/x-vcard", "text/directory"})


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for item in accept.split(","):
        media, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    return ranges


def _quality(ranges: list[tuple[str, float]], offer: str, aliases: frozenset[str]) -> float:
    """q of the most specific range matching the offer (RFC 9110 §12.5.1); 0 if none."""
    major = offer.split("/", 1)[0]
    specificity, quality = -1, 0.0
    for media, q in ranges:
        if media in aliases:
            rank = 2
        elif media == f"{major}/*":
            rank = 1
        elif media == "*/*":
            rank = 0
        else:
            continue
        if rank > specificity:
            specificity, quality = rank, q
    return quality


def wants_jcard(accept: str | None) -> bool:
    """True for jCard, False for vCard (also without Accept); NotAcceptable for neither."""
    if not accept or accept == "*/*":
        return False
    return _prefers_jcard(accept)


@functools.lru_cache(maxsize=64)  # clients send a few distinct Accept headers; bounded anyway
def _prefers_jcard(accept: str) -> bool:
    ranges = _ranges(accept)
    vcard_q = _quality(ranges, "text/vcard", _VCARD_ALIASES)
    jcard_q = _quality(ranges, JCARD_TYPE, frozenset({JCARD_TYPE}))
    if vcard_q <= 0 and jcard_q <= 0:
        raise NotAcceptable("cards are available as text/vcard or application/vcard+json",
                            {"available": ["text/vcard", JCARD_TYPE]})
    return jcard_q > vcard_q
