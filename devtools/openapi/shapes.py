"""The response shapes operations share, each defined once: cached (ETag and its 304), written, cards, pages.

Each returns the success answers of one operation (status → response); the error
answers come from errors.py, by reference.
"""

from __future__ import annotations

from typing import Any

from .headers import cors_headers, headers
from .parameters import JCARD, VCARD
from .schemas import ref

Json = dict[str, Any]

JSON = "application/json"
STRING = {"type": "string"}
OBJECT = {"type": "object"}
# Directory data says which revision it was built from, and whether the snapshot was stale.
SNAPSHOT = ("X-Directory-Revision", "X-Directory-Stale")
NOT_MODIFIED = {
    "description": "Not modified: the ETag in If-None-Match still holds",
    "headers": headers("ETag"),
}
DELETED = {"204": {"description": "Deleted"}}


def content(media_type: str, schema: Json) -> Json:
    return {media_type: {"schema": schema}}


def cached(description: str, body: Json, *extra_headers: str) -> Json:
    """A cacheable 200 (ETag, Cache-Control, CORS), and its 304."""
    named = headers("ETag", "Cache-Control", *extra_headers)
    return {
        "200": {"description": description, "headers": {**named, **cors_headers()}, "content": body},
        "304": NOT_MODIFIED,
    }


def cached_file(description: str, media_type: str, schema: Json = STRING) -> Json:
    """A static file (the widget's script, tables, pages, this document)."""
    return cached(description, content(media_type, schema))


def directory_data(description: str, schema: str) -> Json:
    """Directory data as JSON: cacheable, from one snapshot."""
    return cached(description, content(JSON, ref(schema)), *SNAPSHOT)


def editable_read(description: str, public: str, editable: str) -> Json:
    """Directory data, or the editable representation when a token holder reads."""
    answers = directory_data(description, public)
    answers["200"]["content"] = content(JSON, {"anyOf": [ref(public), ref(editable)]})
    return answers


def never_cached(description: str, schema: str) -> Json:
    return {
        "200": {
            "description": description,
            "content": content(JSON, ref(schema)),
            "headers": headers("Cache-Control"),
        }
    }


def card(description: str) -> Json:
    """A vCard download, or its jCard when Accept asks for one."""
    jcard = {"type": "array", "description": "jCard (RFC 7095), or an array of them"}
    body = {VCARD: {"schema": STRING}, JCARD: {"schema": jcard}}
    return cached(description, body, *SNAPSHOT, "Content-Disposition", "Vary")


def qr_code(description: str) -> Json:
    return cached(description, content("image/svg+xml", STRING), *SNAPSHOT)


def _written_entry(description: str, schema: str, *extra_headers: str) -> Json:
    return {
        "description": description,
        "headers": headers("ETag", "Cache-Control", *extra_headers),
        "content": content(JSON, ref(schema)),
    }


def written(schema: str) -> Json:
    return {"200": _written_entry("Changed: the entry as it is now, and its new ETag", schema)}


def created(schema: str) -> Json:
    return {"201": _written_entry("Created: the new entry and its ETag", schema, "Location")}


def page(description: str, media_type: str, schema: Json = STRING) -> Json:
    """A file of the editing page: never cached, under a strict Content-Security-Policy."""
    named = headers("Cache-Control", "Content-Security-Policy")
    return {"200": {"description": description, "headers": named, "content": content(media_type, schema)}}


def for_token_holder(description: str, schema: str) -> Json:
    """What the editing page reads with its token: alike, as JSON."""
    return page(description, JSON, ref(schema))


def json_body(schema: str, media_types: tuple[str, ...], example: Json) -> Json:
    return {
        "required": True,
        "content": {media: {"schema": ref(schema), "example": example} for media in media_types},
    }
