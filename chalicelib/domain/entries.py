"""Entries inside a stored municipality document, and the bookkeeping a write leaves on them.

A municipality's item holds the municipality, its offices and their contacts: three
kinds of *entry*. Each entry carries

- ``updated_at`` / ``updated_by`` — when and by whom (a token's label) it last changed;
- ``revision`` / ``created_revision`` — the directory revision of its last change and
  of its creation. A write leaves them ``None`` ("pending"); the write's revision is
  stamped on them afterwards (see write/editor.py for why, and why that is safe).

Deleted entries leave a tombstone in their municipality's document — kind, id,
revision, time and whether the entry was public — and nothing personal. A deleted
municipality becomes a document of tombstones only.

Pure functions over JSON-shaped dicts: no I/O, no validation (write/ validates).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any, Literal, NamedTuple

from .bodies import etag_of, to_json
from .errors import NotFound

Json = dict[str, Any]
EntryKind = Literal["municipality", "office", "contact"]
# The entries that live inside a municipality's document, each with a route and a card.
ChildKind = Literal["office", "contact"]

# Set by the write path, never by a client; not part of what an ETag compares.
STAMPS = ("revision", "created_revision")
BOOKKEEPING = ("updated_at", "updated_by", *STAMPS)
# Derived from other fields at write time (display forms of numbers): not part of an ETag
# either, so documents written before they were stored keep their entries' ETags.
DERIVED = ("phone_display", "fax_display")
_NOT_COMPARED = frozenset((*STAMPS, *DERIVED))


class Located(NamedTuple):
    """Where an office or contact lives inside a document."""

    office_index: int
    contact_index: int | None = None


def offices(doc: Json) -> list[Json]:
    found: list[Json] = doc.setdefault("offices", [])
    return found


def contacts(office: Json) -> list[Json]:
    found: list[Json] = office.setdefault("contacts", [])
    return found


def locate(doc: Json, kind: EntryKind, entry_id: str) -> Located:
    for o, office in enumerate(doc.get("offices", [])):
        if kind == "office" and office["id"] == entry_id:
            return Located(o)
        if kind == "contact":
            for c, contact in enumerate(office.get("contacts", [])):
                if contact["id"] == entry_id:
                    return Located(o, c)
    raise NotFound(f"no such {kind}")


def entry_at(doc: Json, where: Located) -> Json:
    office: Json = doc["offices"][where.office_index]
    if where.contact_index is None:
        return office
    contact: Json = office["contacts"][where.contact_index]
    return contact


def entry_ids(doc: Json) -> Iterator[tuple[EntryKind, str]]:
    """Every office and contact id in a document, public or not."""
    for office in doc.get("offices", []):
        yield "office", office["id"]
        for contact in office.get("contacts", []):
            yield "contact", contact["id"]


def erased_ids(doc: Json) -> tuple[str, ...]:
    """Office and contact ids a tombstone holds and the document no longer does: erased entries.

    (A tombstone of a contact that still lives marks its withdrawal from the public.)
    """
    living = {entry_id for _, entry_id in entry_ids(doc)}
    return tuple(
        t["id"]
        for t in doc.get("tombstones", [])
        if t.get("kind") in ("office", "contact") and t["id"] not in living
    )


def is_deleted(doc: Json) -> bool:
    return doc.get("deleted") is True


# -- ETags ----------------------------------------------------------------------------


def _content(value: Any, drop: tuple[str, ...]) -> Any:
    """The entry without the write path's stamps (recursively), and without `drop` at the top."""
    if isinstance(value, dict):
        return {k: _content(v, ()) for k, v in value.items() if k not in _NOT_COMPARED and k not in drop}
    if isinstance(value, list):
        return [_content(v, ()) for v in value]
    return value


def entry_etag(kind: EntryKind, entry: Json) -> str:
    """The ETag a write must present in If-Match to change this entry.

    A municipality's covers everything in it (a PUT replaces its offices too); an
    office's leaves out its contacts, so editing a contact never conflicts with
    editing its office. Stamps are left out: they arrive after the write's answer.
    """
    drop: tuple[str, ...] = {
        "municipality": ("tombstones", "pending", "etag"),
        "office": ("contacts", "etag"),
        "contact": ("etag",),
    }[kind]
    return etag_of(to_json(_content(entry, drop)))


# -- JSON merge patch (RFC 7396) ----------------------------------------------------


def merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


# -- pending changes and their stamps ---------------------------------------------------


def touch(entry: Json, *, at: str, by: str | None, created: bool = False) -> None:
    """Mark an entry changed by this write: its revision is stamped later."""
    entry["updated_at"] = at
    entry["updated_by"] = by
    entry["revision"] = None
    if created:
        entry["created_revision"] = None


def bury(doc: Json, kind: EntryKind, entry: Json, *, at: str, public: bool) -> None:
    """Leave a tombstone for an entry that is gone (or no longer public): no personal data.

    A tombstone replaces the entry's earlier one, and inherits its `public`: an entry
    withdrawn from the public and then deleted was public once, so a mirror that copied
    it then must learn of the deletion too, even though it was not public at the end.
    """
    tombstones: list[Json] = doc.setdefault("tombstones", [])
    key = (kind, entry["id"])
    public = public or any(t.get("public", True) for t in tombstones if (t["kind"], t["id"]) == key)
    tombstones[:] = [t for t in tombstones if (t["kind"], t["id"]) != key]
    tombstones.append({"kind": kind, "id": entry["id"], "deleted_at": at, "public": public, "revision": None})


def unbury(doc: Json, kind: EntryKind, entry_id: str) -> None:
    """An entry is back (a contact made public again): its tombstone goes."""
    doc["tombstones"] = [t for t in doc.get("tombstones", []) if (t["kind"], t["id"]) != (kind, entry_id)]


def _stampable(doc: Json) -> Iterator[Json]:
    if not is_deleted(doc):
        yield doc
        for office in doc.get("offices", []):
            yield office
            yield from office.get("contacts", [])
    yield from doc.get("tombstones", [])


def is_pending(doc: Json) -> bool:
    """True while some change in the document still waits for its revision."""
    return any(entry.get("revision", 0) is None for entry in _stampable(doc))


def stamp(doc: Json, revision: int) -> Json:
    """The document with every pending change stamped with `revision` (a new dict)."""
    stamped = copy.deepcopy(doc)
    for entry in _stampable(stamped):
        if "revision" in entry and entry["revision"] is None:
            entry["revision"] = revision
        if "created_revision" in entry and entry["created_revision"] is None:
            entry["created_revision"] = revision
    return stamped
