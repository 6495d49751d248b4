"""A municipality as it is stored: its id, version and JSON document."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoredDocument:
    municipality_id: str
    version: int
    document: str  # JSON; offices and contacts live inside it
