"""components/parameters: every parameter, declared once here; operations refer to them.

Path parameters are found by name: a route's template names them (`{office_id}`),
and document.py looks each one up in PATH_PARAMETERS.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.vocabulary import ENTITY_ID_PATTERN, KINDS, MUNICIPALITY_ID_PATTERN, REGIERUNGSBEZIRKE
from chalicelib.web.params import MAX_LIMIT, MAX_QUERY_LENGTH, MAX_RADIUS_KM

Json = dict[str, Any]

VCARD = "text/vcard"
JCARD = "application/vcard+json"
STEINFURT = "05566"

# key → the parameter; filled by the declarations below, in this order, and never after import.
PARAMETERS: Json = {}


def _parameter(
    name: str, where: str, schema: Json, description: str, key: str | None = None, **extra: Any
) -> Json:
    key = key or name
    PARAMETERS[key] = {"name": name, "in": where, "description": description, "schema": schema, **extra}
    return {"$ref": f"#/components/parameters/{key}"}


def _id_parameter(name: str, pattern: str, description: str, example: str) -> Json:
    schema = {"type": "string", "pattern": pattern}
    return _parameter(name, "path", schema, description, required=True, example=example)


PATH_PARAMETERS = {
    "municipality_id": _id_parameter(
        "municipality_id",
        MUNICIPALITY_ID_PATTERN,
        "The official key (AGS): 05 and 3 digits for a Kreis or kreisfreie Stadt, 3 more for a Gemeinde",
        STEINFURT,
    ),
    "office_id": _id_parameter("office_id", ENTITY_ID_PATTERN, "An office's id", "ki-kreis-steinfurt"),
    "contact_id": _id_parameter(
        "contact_id", ENTITY_ID_PATTERN, "A contact's id", "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"
    ),
}
CURSOR = _parameter(
    "cursor",
    "query",
    {"type": "string", "minLength": 1, "maxLength": 512},
    "next_cursor of the previous page",
)
SEARCH_FILTERS = (
    _parameter(
        "q",
        "query",
        {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        "Words to find in names, seats, offices, and public people, functions and topics "
        "(umlauts and ß fold: muenster finds Münster)",
    ),
    _parameter(
        "kind", "query", {"enum": list(KINDS)}, "Only this kind of municipality (case and umlauts fold)"
    ),
    _parameter(
        "regierungsbezirk",
        "query",
        {"enum": list(REGIERUNGSBEZIRKE)},
        "Only this Regierungsbezirk (folds too)",
    ),
    _parameter(
        "topic", "query", {"type": "string", "minLength": 1, "maxLength": 60}, "Public contacts on this topic"
    ),
    _parameter(
        "language",
        "query",
        {"type": "string", "maxLength": 35, "pattern": r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"},
        "Public contacts speaking this language (BCP 47; 'fa' matches 'fa-AF')",
    ),
    _parameter(
        "near",
        "query",
        {"type": "string", "pattern": r"^-?\d{1,2}(\.\d{1,8})?,-?\d{1,3}(\.\d{1,8})?$"},
        "lat,lon in decimal degrees: order by distance from there, and give each hit its distance_km",
        example="52.12,7.39",
    ),
    _parameter(
        "radius_km",
        "query",
        {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_RADIUS_KM},
        "Only hits within this distance of `near` (needs `near`)",
    ),
)
# Every operation with a 304 answer takes it (document.py adds it last).
IF_NONE_MATCH = _parameter(
    "If-None-Match",
    "header",
    {"type": "string"},
    "An ETag you hold: the answer is a body-less 304 if it still holds",
)
# Every write takes it (document.py adds it after the path's parameters).
IF_MATCH = _parameter(
    "If-Match",
    "header",
    {"type": "string"},
    "The entry's ETag as you read it (or '*'): the write applies only if the entry still has it",
    example="*",
)
IF_NONE_MATCH_CREATE = _parameter(
    "If-None-Match",
    "header",
    {"enum": ["*"]},
    "'*' to create the municipality (admins only): fails with 412 if it exists",
    "If-None-Match-create",
)
ACCEPT_CARD = _parameter(
    "Accept",
    "header",
    {"type": "string"},
    f"{VCARD} (vCard 3.0, the default) or {JCARD} (jCard, RFC 7095)",
    example=JCARD,
)
SINCE = _parameter(
    "since",
    "query",
    {"type": "integer", "minimum": 0, "maximum": 10**15, "default": 0},
    "A revision: changes after it",
)


def _limit(default: int, key: str) -> Json:
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": default}
    return _parameter("limit", "query", schema, "How many items one page holds", key)


SEARCH_LIMIT = _limit(20, "limit")
PEERS_LIMIT = _limit(5, "peers_limit")
CHANGES_LIMIT = _limit(100, "changes_limit")
