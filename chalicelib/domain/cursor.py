"""Keyset cursors: the sort key of the last item served, bound to its query.

Opaque to clients (URL-safe base64 of JSON); anything that does not decode to a
key of the expected shape, or belongs to another query, is an invalid parameter —
including what JSON allows but a key never holds: non-finite numbers (`Infinity`,
`NaN`, `1e309`), nesting, and more text than any key of ours needs.

Not signed: a cursor names only the sort key of a public item, so a forged one can
reach nothing a client could not page to anyway; its only risk is bad input, which
the checks here refuse (docs/design.md, "Cursors").
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from hashlib import blake2b
from typing import Any

from .errors import InvalidParameter

SortKey = tuple[Any, ...]

# Our longest cursors (a ranked search's key: scores, a folded name, an id) stay far below.
MAX_CURSOR_LENGTH = 512


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is no number a cursor holds")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def fingerprint_of(fields: tuple[Any, ...]) -> str:
    """A short digest of what defines a result order: a cursor is only valid for the same."""
    return blake2b(repr(fields).encode(), digest_size=6).hexdigest()


def encode_cursor(key: SortKey, fingerprint: str) -> str:
    raw = json.dumps({"f": fingerprint, "k": list(key)}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, fingerprint: str, key_length: int | None) -> SortKey:
    invalid = InvalidParameter("cursor", "'cursor' is malformed; use the next_cursor of a previous page")
    if not 1 <= len(cursor) <= MAX_CURSOR_LENGTH:
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw, parse_constant=_no_constants)
    except (binascii.Error, ValueError, RecursionError):
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
    if len(key) < 3 or not all(_is_number(k) for k in key[:-2]):
        raise invalid
    if not all(isinstance(k, str) for k in key[-2:]):
        raise invalid
    if key_length is not None and len(key) != key_length:
        raise invalid
    return tuple(key)
