"""What an import file was taken from, and the stored edits it would revert.

An export records the directory revision it was taken at and each entry's ``revision``
(the directory revision of its last change). An import compares them with what is
stored now, as ``If-Match`` does for one entry: an entry the file would change whose
stored revision is no longer the file's was edited since the export — a *newer edit*.
An entry of a file without that record (made by hand) that exists and would change is
one too: nothing says the file has seen it. The import writes nothing while there are
any, unless told to overwrite them.

Entries the file does not list are kept (``keep_absent``); only ``--prune`` removes them,
and removing one that changed after the export is a newer edit as well.

Pure functions over content-shaped dicts (``writer.content_of``, ``strip_read_only``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from ..domain import entries
from ..domain.entries import EntryKind, Json
from ..domain.errors import Conflict
from .validation import strip_read_only

Why = Literal["changed", "deleted", "unversioned", "pruned"]
EntryKey = tuple[str, EntryKind, str]  # municipality id, kind, entry id

_CHILDREN: dict[EntryKind, str] = {"municipality": "offices", "office": "contacts", "contact": ""}


@dataclass(frozen=True)
class Basis:
    """The revisions a file was taken from.

    ``revision``: the directory revision at export (None for a hand-made file).
    ``entries``: every entry the file lists with an id, and the revision it gives (None: none).
    """

    revision: int | None = None
    entries: dict[EntryKey, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class NewerEdit:
    """One stored entry the import would revert or remove: where, and who changed it when."""

    municipality_id: str
    kind: EntryKind
    entry_id: str
    why: Why
    revision: int | None = None
    at: str | None = None
    by: str | None = None

    def __str__(self) -> str:
        where = self.municipality_id
        if self.kind != "municipality":
            where += f"/{self.entry_id}"
        when = ", ".join(
            part for part in (
                f"revision {self.revision}" if self.revision is not None else "",
                f"at {self.at}" if self.at else "",
                f"by {self.by}" if self.by else "",
            ) if part
        )
        said = {
            "changed": "changed since the export",
            "deleted": "deleted since the export",
            "unversioned": "exists, and the file does not say which version it was taken from",
            "pruned": "changed since the export; --prune would remove it",
        }[self.why]
        return f"{self.kind} {where}: {said}" + (f" ({when})" if when else "")


class NewerEdits(Conflict):
    """An import refused: the stored entries it would revert, each named."""

    def __init__(self, found: list[NewerEdit]) -> None:
        super().__init__(
            f"{len(found)} stored entr{'y' if len(found) == 1 else 'ies'} changed since the file was taken",
            {"newer": [str(edit) for edit in found]},
        )
        self.found = found


def _own(kind: EntryKind, entry: Mapping[str, object]) -> Json:
    """An entry's own content: without bookkeeping and without its children."""
    content: Json = strip_read_only(dict(entry))
    content.pop(_CHILDREN[kind], None)
    for name in ("tombstones", "pending", "deleted"):
        content.pop(name, None)
    return content


def _stored_entries(doc: Json) -> Iterator[tuple[EntryKind, str, Json]]:
    if entries.is_deleted(doc):
        return
    yield "municipality", str(doc["id"]), doc
    for office in doc.get("offices", []):
        yield "office", office["id"], office
        for contact in office.get("contacts", []):
            yield "contact", contact["id"], contact


def _file_entries(content: Json) -> Iterator[tuple[EntryKind, str, Json]]:
    yield "municipality", str(content["id"]), content
    for office in content.get("offices", []):
        yield "office", office["id"], office
        for contact in office.get("contacts", []):
            if contact.get("id"):
                yield "contact", contact["id"], contact


def _edit(municipality_id: str, kind: EntryKind, entry_id: str, why: Why, entry: Json | None) -> NewerEdit:
    if entry is None:
        return NewerEdit(municipality_id, kind, entry_id, why)
    revision = entry.get("revision")
    return NewerEdit(
        municipality_id, kind, entry_id, why,
        revision if isinstance(revision, int) else None,
        str(entry["updated_at"]) if entry.get("updated_at") else None,
        str(entry["updated_by"]) if entry.get("updated_by") else None,
    )


def _tombstone(doc: Json | None, kind: EntryKind, entry_id: str) -> Json | None:
    for tombstone in (doc or {}).get("tombstones", []):
        if (tombstone.get("kind"), tombstone.get("id")) == (kind, entry_id):
            found: Json = tombstone
            return found
    return None


def _after(entry: Json, revision: int) -> bool:
    """Did the entry change (or appear) after ``revision``? A pending change counts as after."""
    for name in entries.STAMPS:
        if name in entry:
            stamp = entry[name]
            if stamp is None or (isinstance(stamp, int) and stamp > revision):
                return True
    return False


def newer_edits(
    stored: Mapping[str, Json], contents: Iterable[Json], basis: Basis, *, prune: bool
) -> list[NewerEdit]:
    """The stored edits the import of ``contents`` would revert (or remove, with ``prune``).

    ``stored``: every stored document by municipality id, bookkeeping included.
    ``contents``: what the file would write for each municipality it lists, before
    ``keep_absent``.
    """
    found: list[NewerEdit] = []
    listed: set[str] = set()
    for content in contents:
        municipality_id = str(content["id"])
        listed.add(municipality_id)
        doc = stored.get(municipality_id)
        living = {(kind, key): entry for kind, key, entry in _stored_entries(doc or {"deleted": True})}
        in_file: set[tuple[EntryKind, str]] = set()
        for kind, entry_id, entry in _file_entries(content):
            in_file.add((kind, entry_id))
            given = basis.entries.get((municipality_id, kind, entry_id))
            now = living.get((kind, entry_id))
            if now is None:
                gone = _tombstone(doc, kind, entry_id)
                if given is not None and gone is not None:  # the file had it; someone deleted it since
                    stamp = gone.get("revision")
                    found.append(NewerEdit(municipality_id, kind, entry_id, "deleted",
                                           stamp if isinstance(stamp, int) else None, gone.get("deleted_at")))
                continue
            if _own(kind, now) == _own(kind, entry):
                continue  # the file leaves it as stored: nothing is reverted
            if given is None:
                found.append(_edit(municipality_id, kind, entry_id, "unversioned", now))
            elif now.get("revision") != given:
                found.append(_edit(municipality_id, kind, entry_id, "changed", now))
        if prune and basis.revision is not None:
            for (kind, entry_id), now in living.items():
                if (kind, entry_id) not in in_file and _after(now, basis.revision):
                    found.append(_edit(municipality_id, kind, entry_id, "pruned", now))
    if prune and basis.revision is not None:
        for municipality_id, doc in sorted(stored.items()):
            if municipality_id not in listed and not entries.is_deleted(doc) and any(
                _after(entry, basis.revision) for _, _, entry in _stored_entries(doc)
            ):
                found.append(_edit(municipality_id, "municipality", municipality_id, "pruned", doc))
    return found


def keep_absent(stored: Json | None, content: Json) -> Json:
    """The content with every stored office and contact the file does not list kept.

    Without ``--prune`` an import never removes an entry: a file taken before someone
    added an office must not take it away. A kept contact stays in its office; if the
    file leaves out the whole office, the office is kept with it. Contacts the file
    moved to another office are where the file puts them.
    """
    if stored is None or entries.is_deleted(stored):
        return content
    merged = copy.deepcopy(content)
    offices: list[Json] = merged.setdefault("offices", [])
    listed_offices = {office["id"] for office in offices}
    listed_contacts = {c.get("id") for office in offices for c in office.get("contacts", [])}
    by_id = {office["id"]: office for office in offices}
    for office in strip_read_only(stored).get("offices", []):
        absent = [c for c in office.get("contacts", []) if c["id"] not in listed_contacts]
        if office["id"] in listed_offices:
            if absent:
                by_id[office["id"]].setdefault("contacts", []).extend(absent)
            continue
        kept = {k: v for k, v in office.items() if k != "contacts"}
        if absent:
            kept["contacts"] = absent
        offices.append(kept)
    if not offices:
        del merged["offices"]
    return merged
