"""Domain errors → HTTP: the one table, the envelope, and the one place that applies them.

Every failure a client sees is `{"error": {"code", "message", "details"}}` with a
4xx (or a 503 when DynamoDB is out of reach), never a stack trace. A new kind of
domain error is one row in ERRORS. app.py calls `answer_errors(app)` once, after every
route is registered: no route wears a decorator for it, so none can forget one.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from chalice import Chalice, Response

from ..domain import errors as domain
from ..domain.bodies import to_json
from .responses import uncached_headers, uncached_json

log = logging.getLogger(__name__)


# (status, code, extra headers) per domain error; the most specific class wins.
ERRORS: dict[type[domain.DirectoryError], tuple[int, str, dict[str, str]]] = {
    domain.InvalidRequest: (400, "invalid_request", {}),
    domain.InvalidParameter: (400, "invalid_parameter", {}),
    domain.UnknownParameter: (400, "unknown_parameter", {}),
    domain.Unauthenticated: (401, "unauthenticated", {"WWW-Authenticate": 'Bearer realm="gk-directory"'}),
    domain.Forbidden: (403, "forbidden", {}),
    domain.NotFound: (404, "not_found", {}),
    domain.MethodNotAllowed: (405, "method_not_allowed", {}),
    domain.NotAcceptable: (406, "not_acceptable", {}),
    domain.Conflict: (409, "conflict", {}),
    domain.StaleVersion: (409, "stale_version", {}),
    domain.PreconditionFailed: (412, "precondition_failed", {}),
    domain.PayloadTooLarge: (413, "payload_too_large", {}),
    domain.UnsupportedMediaType: (415, "unsupported_media_type", {}),
    domain.InvalidRecord: (422, "invalid_record", {}),
    domain.TooManyResults: (422, "too_many_cards", {}),
    domain.PreconditionRequired: (428, "precondition_required", {}),
    domain.TooManyConflicts: (503, "too_many_conflicts", {"Retry-After": "1"}),
    domain.StoreUnavailable: (503, "store_unavailable", {"Retry-After": "5"}),
    domain.DirectoryUnavailable: (503, "directory_unavailable", {"Retry-After": "5"}),
}
_FALLBACK: tuple[int, str, dict[str, str]] = (500, "internal_error", {})


def status_of(error: domain.DirectoryError) -> tuple[int, str, dict[str, str]]:
    for cls in type(error).__mro__:
        if cls in ERRORS:
            return ERRORS[cls]
    return _FALLBACK


def error_body(code: str, message: str, details: dict[str, object] | None = None) -> dict[str, object]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def error_response(error: domain.DirectoryError) -> Response:
    status, code, headers = status_of(error)
    return uncached_json(error_body(code, error.message, error.details), status, headers)


# Chalice answers some requests itself, before or around a view — a body it cannot
# parse, a media type a route does not take, an exception no one expected — with its
# own {"Code", "Message"} body. Those become the envelope too, with our own message
# (Chalice's may repeat what the client sent; a 500's never says more than this).
CHALICE_ERRORS: dict[str, tuple[str, str]] = {
    "BadRequestError": ("invalid_request", "the request is malformed"),
    "UnauthorizedError": ("unauthenticated", "this request needs a valid token"),
    "ForbiddenError": ("forbidden", "this request is not allowed"),
    "NotFoundError": ("not_found", "nothing is at this path"),
    "MethodNotAllowedError": ("method_not_allowed", "this method is not allowed here"),
    "UnsupportedMediaType": ("unsupported_media_type", "this media type is not accepted here"),
}
_BAD_REQUEST = CHALICE_ERRORS["BadRequestError"]
_INTERNAL = ("internal_error", "an internal error occurred")


def _answering(view: Callable[..., Any]) -> Callable[..., Any]:
    """The view, answering every domain error raised below it in the envelope."""
    if getattr(view, "answers_errors", False):
        return view

    @functools.wraps(view)
    def answer(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except domain.DirectoryError as error:
            response = error_response(error)
            if response.status_code >= 500:
                log.warning("%s: %s", type(error).__name__, error.message)
            return response

    answer.answers_errors = True  # type: ignore[attr-defined]
    return answer


def enveloped(answer: dict[str, Any]) -> dict[str, Any]:
    """A Lambda answer Chalice made itself for an error, in the envelope; any other as it is.

    Works on the answer Chalice hands to Lambda (edge.py), so it sees everything Chalice
    answers, its own 500 for an exception included. Only an error whose body is Chalice's
    `{"Code", "Message"}` is parsed: every other answer passes with one comparison.
    """
    body = answer.get("body")
    if answer.get("statusCode", 200) < 400 or not isinstance(body, str) or not body.startswith('{"Code"'):
        return answer
    try:
        parsed = json.loads(body)
    except ValueError:
        return answer
    if not isinstance(parsed, dict) or set(parsed) != {"Code", "Message"}:
        return answer
    code, message = CHALICE_ERRORS.get(str(parsed["Code"]), _BAD_REQUEST)
    if answer["statusCode"] >= 500:
        code, message = _INTERNAL
    headers = answer.get("headers", {})
    kept = {name: value for name, value in headers.items() if name.lower() != "content-type"}
    return {
        **answer,
        "headers": {**uncached_headers(), **kept},
        "body": to_json(error_body(code, message)),
        "isBase64Encoded": False,
    }


def answer_errors(app: Chalice) -> None:
    """Map errors for every route registered so far, in one place.

    Chalice turns an exception a view raises into its own 500 before any middleware
    sees it, so a middleware alone cannot map domain errors: each route's view is
    wrapped where it is registered, here. What Chalice answers itself (415, a malformed
    body, an unexpected exception) is put into the envelope at the edge (edge.py).
    """
    for methods in app.routes.values():
        for method, entry in methods.items():
            # CORS preflights (web/preflight.py) answer from a fixed table and call nothing
            # that raises; they stay themselves, so tools can still tell them apart.
            if method != "OPTIONS":
                entry.view_function = _answering(entry.view_function)
