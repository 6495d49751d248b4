"""HTTP for writes: preconditions in, private answers out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from chalice import Response

from ..domain.bodies import to_json
from .responses import JSON_TYPE, HeaderMap

if TYPE_CHECKING:
    from ..domain.edits import Preconditions, Written

# Answers to authenticated requests hold what only editors see: no shared cache may keep them.
PRIVATE = "private, no-store"


def preconditions_of(headers: Mapping[str, str]) -> Preconditions:
    from ..domain.edits import Preconditions  # with the first write: no cold start pays for it

    return Preconditions(headers.get("if-match"), headers.get("if-none-match"))


def written_response(written: Written, location: str | None = None) -> Response:
    """201 with Location for a created entry, 200 with it for a change, 204 for a delete."""
    headers: HeaderMap = {"Cache-Control": PRIVATE, "X-Directory-Revision": str(written.revision)}
    if written.entry is None:
        return Response(body="", status_code=204, headers=headers)
    if written.etag:
        headers["ETag"] = written.etag
    headers["Content-Type"] = JSON_TYPE
    if location:
        headers["Location"] = location
    return Response(body=to_json(written.entry), status_code=201 if written.created else 200, headers=headers)


def private_json(entry: Mapping[str, object], etag: str | None) -> Response:
    """An entry as an authenticated editor reads it."""
    headers: HeaderMap = {"Cache-Control": PRIVATE, "Content-Type": JSON_TYPE, "Vary": "Authorization"}
    if etag:
        headers["ETag"] = etag
    return Response(body=to_json(dict(entry)), status_code=200, headers=headers)
