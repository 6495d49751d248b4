"""Request bodies of writes: JSON only, 64 KB at most, parsed or refused in the envelope."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..domain.errors import InvalidRequest, PayloadTooLarge, UnsupportedMediaType

MAX_BODY_BYTES = 64 * 1024
JSON_TYPES = ("application/json", "application/merge-patch+json")
# The deepest entry (municipality → offices → contacts → languages) is five levels down;
# anything far deeper is no entry, and would recurse through every step after parsing.
MAX_DEPTH = 32


def _depth(document: Any) -> int:
    """How deeply arrays and objects nest (iteratively: the point is not to recurse)."""
    deepest, pending = 0, [(document, 1)]
    while pending:
        value, level = pending.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            pending.extend(
                (child, level + 1) for child in (value.values() if isinstance(value, dict) else value)
            )
    return deepest


def json_body(headers: Mapping[str, str], raw: str | bytes | None) -> Any:
    """The request's JSON document: 415 for another media type, 413 above 64 KB, 400 if malformed."""
    media_type = (headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    if media_type not in JSON_TYPES:
        raise UnsupportedMediaType(
            "send the body as JSON (Content-Type: application/json)", {"accepted": list(JSON_TYPES)}
        )
    raw = raw.encode("utf-8") if isinstance(raw, str) else (raw or b"")
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"the body may be at most {MAX_BODY_BYTES} bytes", {"limit": MAX_BODY_BYTES})
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        # No excerpt of the body: it may hold personal data.
        raise InvalidRequest("the body is not valid UTF-8 JSON", {"reason": "malformed_json"}) from None
    except RecursionError:
        raise _too_deep() from None  # deeper than the parser follows, let alone MAX_DEPTH
    if _depth(document) > MAX_DEPTH:
        raise _too_deep()
    return document


def _too_deep() -> InvalidRequest:
    return InvalidRequest(
        f"the body nests arrays and objects more than {MAX_DEPTH} levels deep",
        {"reason": "too_deeply_nested", "limit": MAX_DEPTH},
    )
