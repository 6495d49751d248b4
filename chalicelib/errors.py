"""Domain errors and their one mapping to HTTP status and error code.

Store, directory and parameter parsing raise these; `http.error_response` turns
them into the `{"error": {"code", "message", "details"}}` envelope. Nothing else
decides status codes for failures.
"""

from __future__ import annotations

from typing import Any


class DirectoryError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidRequest(DirectoryError):
    status = 400
    code = "invalid_request"


class InvalidParameter(InvalidRequest):
    code = "invalid_parameter"

    def __init__(self, parameter: str, message: str, **details: Any) -> None:
        super().__init__(message, {"parameter": parameter, **details})


class UnknownParameter(InvalidRequest):
    code = "unknown_parameter"


class NotFound(DirectoryError):
    status = 404
    code = "not_found"


class NotAcceptable(DirectoryError):
    status = 406
    code = "not_acceptable"


class Conflict(DirectoryError):
    """A create found the item already there."""

    status = 409
    code = "conflict"


class StaleVersion(DirectoryError):
    """A conditional update lost against a newer version (optimistic locking)."""

    status = 409
    code = "stale_version"


class InvalidRecord(DirectoryError):
    """A record failed validation on the write path."""

    status = 422
    code = "invalid_record"


class StoreUnavailable(DirectoryError):
    """DynamoDB could not be reached or refused the call."""

    status = 503
    code = "store_unavailable"


class DirectoryUnavailable(DirectoryError):
    """No snapshot was ever loaded and DynamoDB is unreachable: nothing to serve."""

    status = 503
    code = "directory_unavailable"
