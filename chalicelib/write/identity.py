"""Office and contact ids are unique across the whole directory.

An id names a route (/offices/{id}, /contacts/{id}) and a card's UID, so the same id
under two municipalities would make one of them unreachable and merge two people in
every address book. The model checks uniqueness within a municipality; this checks
the whole set of documents a write would leave — the importer's file merged with
what stays stored, or an edited record with every other one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..domain import entries
from ..domain.entries import ChildKind, Json
from ..domain.errors import InvalidRecord


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


def check_new_ids(
    municipality_id: str,
    doc: Json,
    old: Json | None,
    owner_of: Callable[[str], str | None],
    erased_in: Callable[[str], str | None],
) -> None:
    """Office and contact ids are unique across the directory and never taken again.

    An id held by another municipality's entry is taken; so is the id of an erased
    entry (its tombstone holds it, here or elsewhere): a card's UID derives from the
    id, and address books would take a new person for the erased one. Errors point
    into the body by position: the id itself is what the client sent.
    """
    before = {entry_id for _, entry_id in entries.entry_ids(old)} if old is not None else set()
    erased_here = set(entries.erased_ids(old)) if old is not None else set()
    taken = []
    for pointer, entry_id in _id_places(doc):
        if entry_id in before:
            continue  # the same entry as before (moved between offices, perhaps)
        owner = owner_of(entry_id)
        if owner not in (None, municipality_id):
            taken.append(
                {"pointer": pointer, "message": "this id is taken elsewhere", "type": "duplicate_id"}
            )
        elif entry_id in erased_here or (owner is None and erased_in(entry_id) is not None):
            taken.append(
                {
                    "pointer": pointer,
                    "message": "this id belonged to an erased entry and stays reserved",
                    "type": "reserved_id",
                }
            )
    if taken:
        raise InvalidRecord("ids must be unique across the directory and never reused", {"errors": taken})


def _id_places(doc: Json) -> Iterator[tuple[str, str]]:
    """(JSON pointer of the id in a municipality body, the id) for every office and contact."""
    for n, office in enumerate(doc.get("offices", [])):
        yield f"/offices/{n}/id", office["id"]
        for m, contact in enumerate(office.get("contacts", [])):
            yield f"/offices/{n}/contacts/{m}/id", contact["id"]
