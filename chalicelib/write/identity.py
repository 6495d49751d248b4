"""Office and contact ids are unique across the whole directory.

An id names a route (/offices/{id}, /contacts/{id}) and a card's UID, so the same id
under two municipalities would make one of them unreachable and merge two people in
every address book. The model checks uniqueness within a municipality; this checks
the whole set of documents a write would leave — the importer's file merged with
what stays stored, or an edited record with every other one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..domain.entries import ChildKind


@dataclass(frozen=True)
class DuplicateId:
    """One id given to several entries of a kind, named by where they are, not by the id."""

    kind: ChildKind
    places: tuple[str, ...]  # JSON pointers, each under its document's location


def duplicate_entry_ids(documents: Mapping[str, Mapping[str, Any] | BaseModel]) -> list[DuplicateId]:
    """Every office or contact id held by more than one entry, across all the documents.

    `documents` maps where a municipality document is — e.g. "#/municipalities/3" in an
    import file, "stored 05154#" in the table — to the document (its API/JSON shape,
    or the write model). Each place is that location plus the JSON pointer of the
    entry inside it: "#/municipalities/3/offices/0/contacts/2". Places, never values:
    the report reaches logs and error responses.
    """
    seen: dict[tuple[ChildKind, str], list[str]] = {}
    for location, document in documents.items():
        data = document.model_dump() if isinstance(document, BaseModel) else document
        for n, office in enumerate(data.get("offices") or []):
            office_place = f"{location}/offices/{n}"
            seen.setdefault(("office", str(office["id"])), []).append(office_place)
            for m, contact in enumerate(office.get("contacts") or []):
                seen.setdefault(("contact", str(contact["id"])), []).append(f"{office_place}/contacts/{m}")
    return [DuplicateId(kind, tuple(places)) for (kind, _), places in seen.items() if len(places) > 1]
