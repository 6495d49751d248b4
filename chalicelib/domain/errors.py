"""Domain errors: what went wrong, in the directory's terms.

They carry a message and details for the client, never an HTTP status: the web
layer's one table (chalicelib.web.errors) decides how each is answered, so a new
kind of failure is one class here and one row there.
"""

from __future__ import annotations

from typing import Any


class DirectoryError(Exception):
    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidRequest(DirectoryError):
    """The request itself is malformed."""


class InvalidParameter(InvalidRequest):
    def __init__(self, parameter: str, message: str, **details: Any) -> None:
        super().__init__(message, {"parameter": parameter, **details})


class UnknownParameter(InvalidRequest):
    pass


class NotFound(DirectoryError):
    pass


class MethodNotAllowed(DirectoryError):
    """The resource exists, but does not answer this method."""


class NotAcceptable(DirectoryError):
    """No representation the client accepts."""


class Conflict(DirectoryError):
    """A create found the item already there."""


class StaleVersion(DirectoryError):
    """A conditional update lost against a newer version (optimistic locking)."""


class InvalidRecord(DirectoryError):
    """A record failed validation on the write path."""


class StoreUnavailable(DirectoryError):
    """DynamoDB could not be reached or refused the call."""


class DirectoryUnavailable(DirectoryError):
    """No snapshot was ever loaded and DynamoDB is unreachable: nothing to serve."""


class Unauthenticated(DirectoryError):
    """No usable credentials: missing, malformed, unknown, expired or revoked — never said which."""


class Forbidden(DirectoryError):
    """Valid credentials whose scope does not cover the entry."""


class PreconditionRequired(DirectoryError):
    """A write without If-Match: it could overwrite a change its author never saw."""


class PreconditionFailed(DirectoryError):
    """If-Match names an ETag the entry no longer has: someone changed it meanwhile."""


class PayloadTooLarge(DirectoryError):
    pass


class TooManyResults(DirectoryError):
    """A download would hold more than one response may (Lambda: 6 MB, 10 s): narrow the query."""


class UnsupportedMediaType(DirectoryError):
    pass


class TooManyConflicts(DirectoryError):
    """Concurrent writers kept winning the race for one municipality; the client may retry."""
