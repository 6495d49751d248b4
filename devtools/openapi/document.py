"""The OpenAPI 3.1 document of the API, built from the route table below and pydantic models.

Request bodies come from the write models (chalicelib/write/models.py), responses
from devtools/openapi/models.py, error codes from the one error table
(chalicelib/web/errors.py) and the gateway's own answers (infra/template.py). The
result is committed as chalicelib/assets/openapi.json; `python -m devtools.openapi`
rebuilds it, and tests/api/test_openapi_*.py fail when the committed file is out of date, when a
route of app.py is missing here (or the other way round), or when a real response
does not match its schema.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.domain.links import TEMPLATES
from chalicelib.domain.vocabulary import ENTITY_ID_PATTERN, KINDS, MUNICIPALITY_ID_PATTERN, REGIERUNGSBEZIRKE
from chalicelib.web.bodies import JSON_TYPES, MAX_BODY_BYTES
from chalicelib.web.errors import ERRORS
from chalicelib.web.params import MAX_LIMIT, MAX_QUERY_LENGTH, MAX_RADIUS_KM
from chalicelib.write import models as write
from infra.template import GATEWAY_ANSWERS

from . import models

Json = dict[str, Any]

VERSION = "1.0.0"
JSON = "application/json"
VCARD = "text/vcard"
JCARD = "application/vcard+json"
SVG = "image/svg+xml"
SCHEMAS = "#/components/schemas/"
STEINFURT = "05566"

# -- schemas ----------------------------------------------------------------------------


def _ref(name: str) -> Json:
    return {"$ref": SCHEMAS + name}


def _schemas() -> tuple[Json, dict[Any, str]]:
    """Every model's JSON Schema (2020-12, as OpenAPI 3.1 uses), and each model's component name."""
    pairs: list[tuple[type[BaseModel], Any]] = [(m, "serialization") for m in models.RESPONSE_MODELS]
    pairs += [(m, "validation") for m in (write.Municipality, write.Office, write.Contact)]
    keys, top = models_json_schema(pairs, ref_template=SCHEMAS + "{model}")
    names: dict[Any, str] = {
        model: str(ref["$ref"]).removeprefix(SCHEMAS) for (model, _), ref in keys.items()
    }
    schemas: Json = dict(sorted(top["$defs"].items()))
    return schemas, names


def _without(schema: Json, *names: str) -> Json:
    """An object schema without some properties (and without requiring them)."""
    out = copy.deepcopy(schema)
    for name in names:
        out["properties"].pop(name, None)
    out["required"] = [r for r in out.get("required", []) if r not in names]
    if not out["required"]:
        del out["required"]
    return out


def _merge_patch(schema: Json, title: str, *excluded: str) -> Json:
    """A JSON merge patch (RFC 7396) of an object: any of its fields; null removes one."""
    properties = {
        name: {"anyOf": [copy.deepcopy(spec), {"type": "null"}]}
        for name, spec in schema["properties"].items()
        if name not in excluded
    }
    return {
        "title": title,
        "description": "A JSON merge patch (RFC 7396): the fields to change; null removes an optional one. "
        "The result must be a valid entry, or the answer is a 422.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def _request_schemas(schemas: Json, names: dict[Any, str]) -> Json:
    municipality = schemas[names[write.Municipality]]
    office = schemas[names[write.Office]]
    contact = schemas[names[write.Contact]]
    read_only = " Fields the API sets (etag, links, revision, updated_at, …) are accepted and ignored."
    record = _without(municipality, "version", "updated_at")
    record["title"] = "MunicipalityRecord"
    record["required"] = ["participation"]
    record["description"] = (
        "A whole municipality, as PUT replaces it: offices and contacts included. `id` defaults to "
        "the path's; name, kind, Regierungsbezirk, seat, coordinates and population default to the "
        "official reference table's (and must agree with it when given)." + read_only
    )
    new_office = _without(office, "id")
    new_office.update(
        title="NewOffice", description="An office to add; the directory assigns ids." + read_only
    )
    new_contact = _without(contact, "id")
    new_contact.update(
        title="NewContact", description="A contact person to add; the directory assigns the id." + read_only
    )
    return {
        "MunicipalityRecord": record,
        # Offices change through their own routes (or a PUT of the whole record).
        "MunicipalityPatch": _merge_patch(
            municipality, "MunicipalityPatch", "id", "version", "updated_at", "offices"
        ),
        "NewOffice": new_office,
        "OfficePatch": _merge_patch(office, "OfficePatch", "id", "contacts"),
        "NewContact": new_contact,
        "ContactPatch": _merge_patch(contact, "ContactPatch", "id"),
    }


# -- errors -----------------------------------------------------------------------------

ERROR_DESCRIPTIONS = {
    400: "The request is malformed: a parameter (details.parameter names it), an unknown parameter "
    "(details.unknown, details.allowed) or a body that is not JSON.",
    401: "No valid bearer token (missing, malformed, unknown, expired or revoked: never said which).",
    403: "The token's scope does not cover this entry (a municipality token on another municipality, "
    "or an admin-only change, such as a municipality's participation: details.pointer).",
    404: "No such entry (details.id), no such path (details.path), or no card matches the search "
    "(GET /vcards: details.matches).",
    405: "The path has no such method: Allow (and details.allowed) lists those it has. Answers every "
    "method the document does not list for a path.",
    406: "No representation the Accept header allows (details.available lists them).",
    409: "The entry changed concurrently.",
    412: "If-Match names an ETag the entry no longer has, or If-None-Match: * found it: details.etag "
    "and details.current hold the entry as it is now.",
    413: f"The body is larger than {MAX_BODY_BYTES} bytes.",
    415: "The body is not JSON (details.accepted lists the media types).",
    422: "The entry is invalid: details.errors lists every invalid field with a JSON pointer into the "
    "body (never the submitted value). On GET …/qr.svg: the card is too large for a QR code "
    "(details.octets).",
    428: "A write needs If-Match with the entry's ETag (or '*'), so no change is overwritten unseen.",
    429: "Too many requests (the gateway's throttling); retry after Retry-After seconds.",
    503: "DynamoDB is out of reach and no snapshot can answer, or concurrent writers kept winning; "
    "retry after Retry-After seconds.",
}
ERROR_NAMES = {
    400: "BadRequest",
    401: "Unauthenticated",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
    412: "PreconditionFailed",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    422: "InvalidRecord",
    428: "PreconditionRequired",
    429: "Throttled",
    503: "Unavailable",
}


def error_codes() -> dict[int, list[str]]:
    """Every code each status can carry: the API's error table and the gateway's own answers."""
    codes: dict[int, set[str]] = defaultdict(set)
    headers: dict[int, set[str]] = defaultdict(set)
    for status, code, extra in ERRORS.values():
        codes[status].add(code)
        headers[status].update(extra)
    for answer in GATEWAY_ANSWERS.values():
        # DEFAULT_4XX/5XX keep the status API Gateway chose: not one this API answers itself.
        if answer.status is not None:
            codes[answer.status].add(answer.code)
    return {status: sorted(found) for status, found in sorted(codes.items())}


def _error_headers() -> dict[int, set[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for status, _, extra in ERRORS.values():
        found[status].update(extra)
    for answer in GATEWAY_ANSWERS.values():
        if answer.status is not None:
            found[answer.status].update(answer.headers)
    return found


def _error_response(status: int, codes: list[str], header_names: Iterable[str]) -> Json:
    error: Json = {"properties": {"code": {"enum": codes}}}
    if status == 422:
        error["properties"]["details"] = {
            "type": "object",
            "properties": {"errors": {"type": "array", "items": _ref("FieldError")}},
        }
    if status == 412:
        error["properties"]["details"] = _ref("PreconditionDetails")
    response: Json = {
        "description": ERROR_DESCRIPTIONS[status],
        "content": {JSON: {"schema": {"allOf": [_ref("ErrorEnvelope"), {"properties": {"error": error}}]}}},
    }
    headers = {name: _header(name) for name in sorted(header_names)}
    headers.update(_cors_headers())
    response["headers"] = headers
    return response


# -- headers and parameters ---------------------------------------------------------------

HEADER_DESCRIPTIONS = {
    "ETag": "The representation's entity tag: send it in If-None-Match to get a 304",
    "Cache-Control": "public, max-age=… for directory data; no-store for errors and health; private, "
    "no-store for what a token holder reads",
    "X-Directory-Revision": "The directory revision this answer was built from",
    "X-Directory-Stale": "true when DynamoDB was out of reach and the last snapshot answered",
    "Content-Disposition": "attachment; filename=… for vCard downloads",
    "Location": "The new entry's path",
    "Retry-After": "Seconds to wait before trying again",
    "WWW-Authenticate": 'Bearer realm="gk-directory"',
    "Vary": "What the representation depends on (Accept, Authorization)",
    "Access-Control-Allow-Origin": "*: any origin may read",
    "Allow": "The methods the path has",
    "Content-Security-Policy": "The editing page's: nothing inline, nothing from elsewhere, no framing",
}


# Always sent where a response lists them.
REQUIRED_HEADERS = frozenset({"ETag", "Cache-Control", "Location"})


def _header(name: str) -> Json:
    return {"$ref": f"#/components/headers/{name}"}


def _header_components() -> Json:
    return {
        name: {"description": description, "schema": {"type": "string"}, "required": name in REQUIRED_HEADERS}
        for name, description in HEADER_DESCRIPTIONS.items()
    }


def _cors_headers() -> Json:
    return {"Access-Control-Allow-Origin": _header("Access-Control-Allow-Origin")}


# Every parameter, once, under components/parameters; operations refer to them.
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


def _limit(default: int, key: str) -> Json:
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": default}
    return _parameter("limit", "query", schema, "How many items one page holds", key)


CURSOR = _parameter(
    "cursor",
    "query",
    {"type": "string", "minLength": 1, "maxLength": 512},
    "next_cursor of the previous page",
)
SEARCH_FILTERS = [
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
]
IF_NONE_MATCH = _parameter(
    "If-None-Match",
    "header",
    {"type": "string"},
    "An ETag you hold: the answer is a body-less 304 if it still holds",
)
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

# -- operations ---------------------------------------------------------------------------


@dataclass
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    tag: str
    ok: Json  # the 2xx (and 304) responses
    errors: tuple[int, ...]
    parameters: list[Json] = field(default_factory=list)
    body: Json | None = None
    security: str = "none"  # none | optional | required
    description: str | None = None


def _content(media_type: str, schema: Json, example: Any = None) -> Json:
    content: Json = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {media_type: content}


def _cached(description: str, content: Json, *extra_headers: str) -> Json:
    """A cacheable 200 of directory data, and its 304."""
    headers = {
        "ETag": _header("ETag"),
        "Cache-Control": _header("Cache-Control"),
        **{name: _header(name) for name in extra_headers},
        **_cors_headers(),
    }
    return {
        "200": {"description": description, "headers": headers, "content": content},
        "304": {
            "description": "Not modified: the ETag in If-None-Match still holds",
            "headers": {"ETag": _header("ETag")},
        },
    }


def _cached_json(description: str, schema: str | Json, *extra_headers: str) -> Json:
    return _cached(
        description,
        _content(JSON, _ref(schema) if isinstance(schema, str) else schema),
        "X-Directory-Revision",
        "X-Directory-Stale",
        *extra_headers,
    )


def _private(description: str, schema: str) -> Json:
    return {
        "description": description,
        "headers": {"ETag": _header("ETag"), "Cache-Control": _header("Cache-Control")},
        "content": _content(JSON, _ref(schema)),
    }


def _private_no_etag(description: str, schema: str) -> Json:
    return {
        "description": description,
        "headers": {
            "Cache-Control": _header("Cache-Control"),
            "Content-Security-Policy": _header("Content-Security-Policy"),
        },
        "content": _content(JSON, _ref(schema)),
    }


def _page(description: str, media_type: str, schema: Json | None = None) -> Json:
    """A file of the editing page: never cached, under a strict Content-Security-Policy."""
    headers = {
        "Cache-Control": _header("Cache-Control"),
        "Content-Security-Policy": _header("Content-Security-Policy"),
    }
    return {
        "200": {
            "description": description,
            "headers": headers,
            "content": _content(media_type, schema or {"type": "string"}),
        }
    }


def _written(schema: str, created: bool = False) -> Json:
    answers: Json = {"200": _private("Changed: the entry as it is now, and its new ETag", schema)}
    if created:
        answers = {"201": _private("Created: the new entry and its ETag", schema)}
        answers["201"]["headers"]["Location"] = _header("Location")
    return answers


# Synthetic examples (example.org, a placeholder name): what a client may send as it is.
BODY_EXAMPLES: Json = {
    "MunicipalityRecord": {"participation": {"status": "reported", "since": "2019"}},
    "MunicipalityPatch": {"website": "https://www.example.org/"},
    "NewOffice": {"name": "Ausländerbehörde", "email": "auslaenderbehoerde@example.org"},
    "OfficePatch": {"role": "geschäftsführende Stelle"},
    "NewContact": {
        "given_name": "Erika",
        "family_name": "Mustermann",
        "email": "erika.mustermann@example.org",
        "languages": ["de", "ar"],
        "topics": ["Ausbildung"],
        "public": True,
    },
    "ContactPatch": {"function": "Koordination", "topics": ["Integration", "Arbeit"]},
}


def _json_body(schema: str, patch: bool = False) -> Json:
    types = JSON_TYPES if patch else (JSON,)
    example = BODY_EXAMPLES[schema]
    return {
        "required": True,
        "content": {media: {"schema": _ref(schema), "example": example} for media in types},
    }


def _card(description: str, filename: bool = True) -> Json:
    headers = ("Content-Disposition", "Vary") if filename else ("Vary",)
    return _cached(
        description,
        {
            VCARD: {"schema": {"type": "string"}},
            JCARD: {"schema": {"type": "array", "description": "jCard (RFC 7095), or an array of them"}},
        },
        "X-Directory-Revision",
        "X-Directory-Stale",
        *headers,
    )


def _either(*schemas: str) -> Json:
    return {"anyOf": [_ref(name) for name in schemas]}


READ = (503,)
ONE = (400, 404, 503)
EDITABLE_READ = (400, 401, 403, 404, 503)
WRITE = (400, 401, 403, 404, 412, 413, 415, 422, 428, 503)
DELETE = (400, 401, 403, 404, 412, 428, 503)
BY_MUNICIPALITY, BY_OFFICE, BY_CONTACT = (
    PATH_PARAMETERS[n] for n in ("municipality_id", "office_id", "contact_id")
)
EDITING = (
    "A token holder reading with `Authorization: Bearer …` gets the editable representation instead: "
    "every stored field, non-public contacts too, each entry's ETag, never cached."
)

OPERATIONS = [
    Operation(
        "GET",
        "/",
        "index",
        "What the service is, its link templates and filter values",
        "directory",
        _cached_json("The index", "Index"),
        (400, 503),
        [IF_NONE_MATCH],
    ),
    Operation(
        "GET",
        "/health",
        "health",
        "Whether the snapshot is fresh (never cached)",
        "directory",
        {
            "200": {
                "description": "Health",
                "content": _content(JSON, _ref("Health")),
                "headers": {"Cache-Control": _header("Cache-Control")},
            }
        },
        (400, 503),
    ),
    Operation(
        "GET",
        "/municipalities",
        "list_municipalities",
        "Search and filter municipalities, a page at a time",
        "directory",
        _cached_json("One page of matches", "SearchPage"),
        (400, 503),
        [*SEARCH_FILTERS, _limit(20, "limit"), CURSOR, IF_NONE_MATCH],
    ),
    Operation(
        "GET",
        "/municipalities/{municipality_id}",
        "get_municipality",
        "A municipality: the full record",
        "directory",
        {
            **_cached_json("The municipality", "MunicipalityDetail"),
            "200": {
                **_cached_json("The municipality", "MunicipalityDetail")["200"],
                "content": _content(JSON, _either("MunicipalityDetail", "EditableMunicipality")),
            },
        },
        EDITABLE_READ,
        [BY_MUNICIPALITY, IF_NONE_MATCH],
        security="optional",
        description=EDITING,
    ),
    Operation(
        "PUT",
        "/municipalities/{municipality_id}",
        "put_municipality",
        "Replace a municipality with its offices and contacts (create: admins, with If-None-Match: *)",
        "editing",
        {**_written("EditableMunicipality"), **_written("EditableMunicipality", created=True)},
        WRITE,
        [BY_MUNICIPALITY, IF_MATCH, IF_NONE_MATCH_CREATE],
        _json_body("MunicipalityRecord"),
        "required",
    ),
    Operation(
        "PATCH",
        "/municipalities/{municipality_id}",
        "patch_municipality",
        "Change some of a municipality's fields",
        "editing",
        _written("EditableMunicipality"),
        WRITE,
        [BY_MUNICIPALITY, IF_MATCH],
        _json_body("MunicipalityPatch", True),
        "required",
    ),
    Operation(
        "DELETE",
        "/municipalities/{municipality_id}",
        "delete_municipality",
        "Delete a municipality (admins only); its offices and contacts leave tombstones",
        "editing",
        {"204": {"description": "Deleted"}},
        DELETE,
        [BY_MUNICIPALITY, IF_MATCH],
        security="required",
    ),
    Operation(
        "GET",
        "/municipalities/{municipality_id}/peers",
        "get_peers",
        "The nearest other municipalities, with distance and whether they share the Regierungsbezirk",
        "directory",
        _cached_json("The peers, nearest first", "Peers"),
        ONE,
        [BY_MUNICIPALITY, _limit(5, "peers_limit"), IF_NONE_MATCH],
    ),
    Operation(
        "POST",
        "/municipalities/{municipality_id}/offices",
        "add_office",
        "Add an office to a municipality",
        "editing",
        _written("EditableOffice", created=True),
        WRITE,
        [BY_MUNICIPALITY, IF_MATCH],
        _json_body("NewOffice"),
        "required",
    ),
    Operation(
        "POST",
        "/municipalities/{municipality_id}/confirmation",
        "confirm_municipality",
        "Confirm a municipality's entries as they are (\"Alles korrekt\"): moves confirmed_at, "
        "changes no office or contact",
        "editing",
        _written("EditableMunicipality"),
        (400, 401, 403, 404, 412, 428, 503),
        [BY_MUNICIPALITY, IF_MATCH],
        security="required",
    ),
    Operation(
        "GET",
        "/municipalities/{municipality_id}/vcard",
        "municipality_vcard",
        "Its offices and public contacts as one vCard file",
        "cards",
        _card("The cards"),
        (400, 404, 406, 503),
        [BY_MUNICIPALITY, ACCEPT_CARD, IF_NONE_MATCH],
    ),
    Operation(
        "GET",
        "/offices/{office_id}",
        "get_office",
        "An office, its public contacts and its municipality",
        "directory",
        {
            **_cached_json("The office", "OfficeDetail"),
            "200": {
                **_cached_json("The office", "OfficeDetail")["200"],
                "content": _content(JSON, _either("OfficeDetail", "EditableOffice")),
            },
        },
        EDITABLE_READ,
        [BY_OFFICE, IF_NONE_MATCH],
        security="optional",
        description=EDITING,
    ),
    Operation(
        "PATCH",
        "/offices/{office_id}",
        "patch_office",
        "Change some of an office's fields (not its contacts)",
        "editing",
        _written("EditableOffice"),
        WRITE,
        [BY_OFFICE, IF_MATCH],
        _json_body("OfficePatch", True),
        "required",
    ),
    Operation(
        "DELETE",
        "/offices/{office_id}",
        "delete_office",
        "Delete an office and its contacts",
        "editing",
        {"204": {"description": "Deleted"}},
        DELETE,
        [BY_OFFICE, IF_MATCH],
        security="required",
    ),
    Operation(
        "POST",
        "/offices/{office_id}/contacts",
        "add_contact",
        "Add a contact person to an office",
        "editing",
        _written("EditableContact", created=True),
        WRITE,
        [BY_OFFICE, IF_MATCH],
        _json_body("NewContact"),
        "required",
    ),
    Operation(
        "GET",
        "/offices/{office_id}/vcard",
        "office_vcard",
        "The office as an organisation vCard",
        "cards",
        _card("The card"),
        (400, 404, 406, 503),
        [BY_OFFICE, ACCEPT_CARD, IF_NONE_MATCH],
    ),
    Operation(
        "GET",
        "/contacts/{contact_id}",
        "get_contact",
        "A public contact person, their office and municipality",
        "directory",
        {
            **_cached_json("The contact", "ContactDetail"),
            "200": {
                **_cached_json("The contact", "ContactDetail")["200"],
                "content": _content(JSON, _either("ContactDetail", "EditableContact")),
            },
        },
        EDITABLE_READ,
        [BY_CONTACT, IF_NONE_MATCH],
        security="optional",
        description=EDITING,
    ),
    Operation(
        "PATCH",
        "/contacts/{contact_id}",
        "patch_contact",
        "Change some of a contact's fields",
        "editing",
        _written("EditableContact"),
        WRITE,
        [BY_CONTACT, IF_MATCH],
        _json_body("ContactPatch", True),
        "required",
    ),
    Operation(
        "DELETE",
        "/contacts/{contact_id}",
        "delete_contact",
        "Delete a contact person",
        "editing",
        {"204": {"description": "Deleted"}},
        DELETE,
        [BY_CONTACT, IF_MATCH],
        security="required",
    ),
    Operation(
        "GET",
        "/contacts/{contact_id}/vcard",
        "contact_vcard",
        "A contact person as a vCard",
        "cards",
        _card("The card"),
        (400, 404, 406, 503),
        [BY_CONTACT, ACCEPT_CARD, IF_NONE_MATCH],
    ),
    Operation(
        "GET",
        "/contacts/{contact_id}/qr.svg",
        "contact_qr",
        "That vCard as a QR code",
        "cards",
        _cached(
            "The QR code", _content(SVG, {"type": "string"}), "X-Directory-Revision", "X-Directory-Stale"
        ),
        (400, 404, 422, 503),
        [BY_CONTACT, IF_NONE_MATCH],
    ),
    Operation(
        "GET",
        "/vcards",
        "search_vcards",
        "Every match of a search (the filters of GET /municipalities) as one vCard file",
        "cards",
        _card("The cards"),
        (400, 404, 406, 503),
        [*SEARCH_FILTERS, ACCEPT_CARD, IF_NONE_MATCH],
    ),
    Operation(
        "GET",
        "/changes",
        "list_changes",
        "What was created, updated or deleted after a revision",
        "directory",
        _cached_json("One page of changes, oldest first", "ChangesPage"),
        (400, 503),
        [
            SINCE,
            _limit(100, "changes_limit"),
            CURSOR,
            IF_NONE_MATCH,
        ],
    ),
    Operation(
        "GET",
        "/widget.js",
        "widget_js",
        "The <gk-directory> element for any website",
        "widget",
        _cached("The script", _content("text/javascript", {"type": "string"})),
        (),
        [IF_NONE_MATCH],
    ),
    Operation(
        "GET",
        "/widget-map.json",
        "widget_map",
        "The outline of NRW (Kreise and kreisfreie Städte) the widget's map view draws",
        "widget",
        _cached("SVG path data in the widget's projection", _content("application/json", {"type": "object"})),
        (),
        [IF_NONE_MATCH],
    ),
    *(
        Operation(
            "GET",
            f"/widget-i18n/{lang}.json",
            f"widget_labels_{lang}",
            f"The widget's labels in {lang}",
            "widget",
            _cached("One table of strings", _content("application/json", {"type": "object"})),
            (),
            [IF_NONE_MATCH],
        )
        for lang in ("de", "en", "ar", "fa", "uk", "tr")
    ),
    Operation(
        "GET",
        "/demo",
        "demo",
        "A page showing the widget",
        "widget",
        _cached("The page", _content("text/html", {"type": "string"})),
        (),
        [IF_NONE_MATCH],
    ),
    Operation(
        "GET",
        "/edit",
        "edit_page",
        "The editing page for coordinating offices (the token arrives in the URL fragment)",
        "editing",
        _page("The page", "text/html"),
        (),
    ),
    Operation(
        "GET",
        "/edit.js",
        "edit_script",
        "The editing page's script",
        "editing",
        _page("The script", "text/javascript"),
        (),
    ),
    Operation(
        "GET",
        "/edit.css",
        "edit_stylesheet",
        "The editing page's stylesheet",
        "editing",
        _page("The stylesheet", "text/css"),
        (),
    ),
    *(
        Operation(
            "GET",
            f"/edit-i18n/{lang}.json",
            f"edit_labels_{lang}",
            f"The editing page's labels in {lang}",
            "editing",
            _page("One table of strings", JSON, {"type": "object"}),
            (),
        )
        for lang in ("de", "en", "ar", "fa", "uk", "tr")
    ),
    Operation(
        "GET",
        "/edit/session",
        "edit_session",
        "Whom the request's token belongs to: its label, scope and municipality",
        "editing",
        {"200": _private_no_etag("The token's holder", "Session")},
        (400, 503),
        security="required",
    ),
    Operation(
        "GET",
        "/edit/report",
        "edit_report",
        "Admins only: every municipality's offices, contacts, gaps, last change and confirmation and "
        "token, what needs attention first",
        "editing",
        {"200": _private_no_etag("The report", "Report")},
        (400, 403, 503),
        security="required",
    ),
    Operation(
        "GET",
        "/openapi.json",
        "openapi",
        "This document",
        "contract",
        _cached("OpenAPI 3.1", _content(JSON, {"type": "object"})),
        (),
        [IF_NONE_MATCH],
    ),
]


def _operation(op: Operation) -> Json:
    responses: Json = dict(op.ok)
    errors = set(op.errors)
    if op.security == "required":
        errors.add(401)
    # The gateway throttles every route (infra/: stage throttling).
    errors.add(429)
    for status in sorted(errors):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERROR_NAMES[status]}"}
    out: Json = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "tags": [op.tag],
    }
    if op.description:
        out["description"] = op.description
    if op.parameters:
        out["parameters"] = op.parameters
    if op.body:
        out["requestBody"] = op.body
    out["responses"] = responses
    if op.security == "required":
        out["security"] = [{"bearerToken": []}]
    elif op.security == "optional":
        out["security"] = [{}, {"bearerToken": []}]
    return out


def build() -> Json:
    """The whole document, deterministic: the same code gives the same bytes."""
    schemas, names = _schemas()
    schemas.update(_request_schemas(schemas, names))
    codes = error_codes()
    headers = _error_headers()
    paths: Json = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "gk-directory",
            "version": VERSION,
            "summary": 'The directory of the NRW initiative "Gemeinsam klappt\'s": municipalities, offices, '
            "contact persons",
            "description": (
                "Reads are public, cacheable (ETag/304, Cache-Control) and open to any origin (CORS). "
                "Writes need a bearer token and If-Match with the entry's ETag. Every GET answers HEAD "
                "alike without the body; a path answers the methods it lacks with 405 (Allow lists "
                "its methods) and an unknown path with 404. Every error is "
                '`{"error": {"code", "message", "details"}}`, from the API and from the gateway alike. '
                f"Link templates: {', '.join(sorted(TEMPLATES))} (see GET /)."
            ),
        },
        "tags": [
            {"name": "directory", "description": "Municipalities, offices and contact persons as JSON"},
            {"name": "cards", "description": "vCards (3.0) and jCards, and QR codes of them"},
            {"name": "editing", "description": "Writes, entry by entry, with a token and If-Match"},
            {"name": "widget", "description": "The embeddable widget"},
            {"name": "contract", "description": "This document"},
        ],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": PARAMETERS,
            "headers": _header_components(),
            "responses": {
                ERROR_NAMES[status]: _error_response(status, codes[status], headers[status])
                for status in sorted(ERROR_NAMES)
            },
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A write token (gk_…), made by an admin with the command line",
                }
            },
        },
    }


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
