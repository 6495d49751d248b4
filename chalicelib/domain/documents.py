"""A municipality as it is stored: its id, version and JSON document."""

from __future__ import annotations

from typing import NamedTuple


class StoredDocument(NamedTuple):
    municipality_id: str
    version: int
    document: str  # JSON; offices and contacts live inside it
