"""Rendered response bodies and their strong ETags, computed once per revision."""

from __future__ import annotations

import json
from hashlib import blake2b
from typing import Any, NamedTuple


def to_json(value: Any) -> str:
    """Compact UTF-8 JSON, the one serialisation every body uses."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def etag_of(text: str) -> str:
    return '"' + blake2b(text.encode("utf-8"), digest_size=12).hexdigest() + '"'


class Body(NamedTuple):
    """A rendered response body and its strong ETag, computed once."""

    text: str
    etag: str

    @classmethod
    def of(cls, text: str) -> Body:
        return cls(text, etag_of(text))
