"""components/headers: every response header the API sends, described once; responses refer to them."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

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


def header(name: str) -> Json:
    if name not in HEADER_DESCRIPTIONS:
        raise KeyError(f"response header {name} is not described in devtools/openapi/headers.py")
    return {"$ref": f"#/components/headers/{name}"}


def headers(*names: str) -> Json:
    """References to these headers, in this order."""
    return {name: header(name) for name in names}


def cors_headers() -> Json:
    return headers("Access-Control-Allow-Origin")


def header_components() -> Json:
    return {
        name: {"description": description, "schema": {"type": "string"}, "required": name in REQUIRED_HEADERS}
        for name, description in HEADER_DESCRIPTIONS.items()
    }
