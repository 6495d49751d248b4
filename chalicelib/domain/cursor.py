"""Keyset cursors: the sort key of the last item served, bound to its query.

Opaque to clients (URL-safe base64 of JSON); anything that does not decode to a
key of the expected shape, or belongs to another query, is an invalid parameter.
"""

from __future__ import annotations

import base64
import binascii
import json
from hashlib import blake2b
from typing import Any

from .errors import InvalidParameter

SortKey = tuple[Any, ...]


def fingerprint_of(fields: tuple[Any, ...]) -> str:
    """A short digest of what defines a result order: a cursor is only valid for the same."""
    return blake2b(repr(fields).encode(), digest_size=6).hexdigest()


def encode_cursor(key: SortKey, fingerprint: str) -> str:
    raw = json.dumps({"f": fingerprint, "k": list(key)}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, fingerprint: str, key_length: int | None) -> SortKey:
    invalid = InvalidParameter("cursor", "'cursor' is malformed; use the next_cursor of a previous page")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError):
        raise invalid from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("k"), list)
        or not isinstance(data.get("f"), str)
    ):
        raise invalid
    if data["f"] != fingerprint:
        raise InvalidParameter("cursor", "'cursor' belongs to a different query; start again without it")
    key = data["k"]
    # A key is numbers, then the folded name and id (strings): anything else did not come from us.
    if len(key) < 3 or not all(isinstance(k, int | float) and not isinstance(k, bool) for k in key[:-2]):
        raise invalid
    if not all(isinstance(k, str) for k in key[-2:]):
        raise invalid
    if key_length is not None and len(key) != key_length:
        raise invalid
    return tuple(key)
