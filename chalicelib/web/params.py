"""Query-string parsing: turns request parameters into typed queries or 400s.

Hand-written rather than pydantic so the read path stays light to import; every
rejection names the parameter and what it accepts.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import Protocol

from ..domain.errors import InvalidParameter, UnknownParameter
from ..domain.queries import DEFAULT_LIMIT, SearchQuery
from ..domain.search import compact
from ..domain.vocabulary import ENTITY_ID, KINDS, MUNICIPALITY_ID, REGIERUNGSBEZIRKE

_KIND_BY_KEY = {compact(k): k for k in KINDS}
_RB_BY_KEY = {compact(r): r for r in REGIERUNGSBEZIRKE}

MAX_QUERY_LENGTH = 100
MAX_LIMIT = 100
MAX_RADIUS_KM = 1000.0
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
# Numbers as a client types them, in ASCII only: str.isdigit() and float() also take
# superscripts (², ①), other scripts' digits (٣), whitespace, "_", exponents and "inf" —
# some of which int() then refuses. Bounded, so no value makes a parser work hard:
# 18 digits hold every revision `since` may name (up to 10**15) and stay below 2**63.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,6}(?:\.[0-9]{0,15})?|\.[0-9]{1,15})")


class QueryParams(Protocol):
    """Chalice's MultiDict, or a plain mapping in tests."""

    def __iter__(self) -> Iterator[str]: ...

    def getlist(self, key: str) -> list[str]: ...


SEARCH_PARAMETERS = (
    "q",
    "kind",
    "regierungsbezirk",
    "topic",
    "language",
    "near",
    "radius_km",
    "limit",
    "cursor",
)


def single_values(params: QueryParams | None, allowed: Collection[str]) -> dict[str, str]:
    """Reject unknown and repeated parameters; return one value per name."""
    if not params:
        return {}
    names = list(params)
    unknown = sorted(set(names) - set(allowed))
    if unknown:
        first = next(name for name in names if name not in allowed)  # as the client wrote them
        raise UnknownParameter(
            f"unknown query parameter: {', '.join(unknown)}",
            {"parameter": first, "unknown": unknown, "allowed": list(allowed)},
        )
    values = {}
    for name in names:
        given = params.getlist(name)
        if len(given) != 1:
            raise InvalidParameter(name, f"'{name}' may be given only once")
        values[name] = given[0]
    return values


def _choice(name: str, raw: str, by_key: dict[str, str]) -> str:
    value = by_key.get(compact(raw))
    if value is None:
        raise InvalidParameter(name, f"unknown {name}", allowed=sorted(by_key.values()))
    return value


def _number(name: str, raw: str) -> float:
    if not _DECIMAL.fullmatch(raw):
        raise InvalidParameter(name, f"'{name}' must be a decimal number such as 52.12")
    return float(raw)



def whole_number(name: str, raw: str, maximum: int) -> int:
    if not _WHOLE_NUMBER.fullmatch(raw) or int(raw) > maximum:
        raise InvalidParameter(name, f"'{name}' must be a whole number from 0 to {maximum}", maximum=maximum)
    return int(raw)


def limit_of(raw: str | None, default: int = DEFAULT_LIMIT) -> int:
    if raw is None:
        return default
    if not _WHOLE_NUMBER.fullmatch(raw):
        raise InvalidParameter("limit", f"'limit' must be a whole number from 1 to {MAX_LIMIT}")
    limit = int(raw)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidParameter(
            "limit", f"'limit' must be from 1 to {MAX_LIMIT}", minimum=1, maximum=MAX_LIMIT
        )
    return limit


def _near(raw: str) -> tuple[float, float]:
    parts = raw.split(",")
    if len(parts) != 2:
        raise InvalidParameter("near", "'near' must be 'lat,lon' in decimal degrees, e.g. near=52.12,7.39")
    lat, lon = _number("near", parts[0]), _number("near", parts[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidParameter("near", "'near' is outside the range of latitude/longitude")
    return lat, lon


def download_query(params: QueryParams | None) -> SearchQuery:
    """Parse GET /vcards: a search without paging, since every match travels in one file."""
    query = search_query(params)
    given = set(params) if params else set()
    for name in ("limit", "cursor"):
        if name in given:
            raise InvalidParameter(name, f"GET /vcards returns every match in one file; drop '{name}'")
    return query


def search_query(params: QueryParams | None) -> SearchQuery:
    """Parse GET /municipalities parameters (also used by GET /vcards)."""
    values = single_values(params, SEARCH_PARAMETERS)
    q = values.get("q", "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise InvalidParameter("q", f"'q' may be at most {MAX_QUERY_LENGTH} characters", length=len(q))
    kind = _choice("kind", values["kind"], _KIND_BY_KEY) if "kind" in values else None
    rb = values.get("regierungsbezirk")
    regierungsbezirk = _choice("regierungsbezirk", rb, _RB_BY_KEY) if rb is not None else None
    topic = values.get("topic")
    if topic is not None and not 1 <= len(topic.strip()) <= 60:
        raise InvalidParameter("topic", "'topic' must have 1 to 60 characters")
    language = values.get("language")
    if language is not None:
        language = language.strip().replace("_", "-").lower()
        if len(language) > 35 or not _LANGUAGE.match(language):
            raise InvalidParameter("language", "'language' must be a BCP 47 tag such as 'ar' or 'fa-AF'")
    near = _near(values["near"]) if "near" in values else None
    radius_km = None
    if "radius_km" in values:
        if near is None:
            raise InvalidParameter("radius_km", "'radius_km' needs 'near'")
        radius_km = _number("radius_km", values["radius_km"])
        if not 0 < radius_km <= MAX_RADIUS_KM:
            raise InvalidParameter("radius_km", f"'radius_km' must be above 0 and at most {MAX_RADIUS_KM:g}")
    cursor = values.get("cursor")
    if cursor is not None and not 1 <= len(cursor) <= 512:
        raise InvalidParameter("cursor", "'cursor' is malformed")
    return SearchQuery(
        q=q,
        kind=kind,
        regierungsbezirk=regierungsbezirk,
        topic=topic.strip() if topic else None,
        language=language,
        near=near,
        radius_km=radius_km,
        limit=limit_of(values.get("limit")),
        cursor=cursor,
        given=tuple(values.items()),
    )


def municipality_id(raw: str) -> str:
    if not MUNICIPALITY_ID.match(raw):
        raise InvalidParameter(
            "id", "a municipality id is its official key (AGS): 5 or 8 digits starting with 05"
        )
    return raw


def entity_id(name: str, raw: str) -> str:
    if not ENTITY_ID.match(raw):
        raise InvalidParameter(name, f"'{name}' is not a valid id")
    return raw
