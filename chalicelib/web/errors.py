"""Domain errors → HTTP: the one table, the envelope, and the decorator routes wear.

Every failure a client sees is `{"error": {"code", "message", "details"}}` with a
4xx (or a 503 when DynamoDB is out of reach), never a stack trace. A new kind of
domain error is one row in ERRORS.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec

from chalice import Response

from ..domain import errors as domain
from .responses import uncached_json

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


P = ParamSpec("P")


def api(view: Callable[P, Response]) -> Callable[P, Response]:
    """Map domain errors raised anywhere below a route to the error envelope."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        try:
            return view(*args, **kwargs)
        except domain.DirectoryError as error:
            response = error_response(error)
            if response.status_code >= 500:
                log.warning("%s: %s", type(error).__name__, error.message)
            return response

    return wrapper
