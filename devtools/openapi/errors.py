"""components/responses: one error response per status, in the envelope, with every code it can carry.

The codes come from the API's one error table (chalicelib/web/errors.py) and the
gateway's own answers (infra/template.py); operations refer to these responses by name.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from chalicelib.web.errors import ERRORS
from chalicelib.web.request_json import MAX_BODY_BYTES
from infra.template import GATEWAY_ANSWERS

from .headers import cors_headers, headers
from .schemas import ref

Json = dict[str, Any]

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
# Details richer than the envelope's plain object, by status.
DETAILS = {
    412: ref("PreconditionDetails"),
    422: {"type": "object", "properties": {"errors": {"type": "array", "items": ref("FieldError")}}},
}


def error_reference(status: int) -> Json:
    return {"$ref": f"#/components/responses/{ERROR_NAMES[status]}"}


def _answers() -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Per status, every code it can carry and every header it can send: the API's and the gateway's."""
    codes: dict[int, set[str]] = defaultdict(set)
    extra: dict[int, set[str]] = defaultdict(set)
    for status, code, names in ERRORS.values():
        codes[status].add(code)
        extra[status].update(names)
    for answer in GATEWAY_ANSWERS.values():
        # DEFAULT_4XX/5XX keep the status API Gateway chose: not one this API answers itself.
        if answer.status is not None:
            codes[answer.status].add(answer.code)
            extra[answer.status].update(answer.headers)
    return codes, extra


def error_responses() -> Json:
    codes, extra = _answers()
    return {
        ERROR_NAMES[status]: _error_response(status, sorted(codes[status]), extra[status])
        for status in sorted(ERROR_NAMES)
    }


def _error_response(status: int, codes: list[str], header_names: set[str]) -> Json:
    error: Json = {"properties": {"code": {"enum": codes}}}
    if status in DETAILS:
        error["properties"]["details"] = DETAILS[status]
    return {
        "description": ERROR_DESCRIPTIONS[status],
        "content": {
            "application/json": {
                "schema": {"allOf": [ref("ErrorEnvelope"), {"properties": {"error": error}}]}
            }
        },
        "headers": {**headers(*sorted(header_names)), **cors_headers()},
    }
