"""The change feed: what was created, updated or deleted after a revision.

Derived from the snapshot's documents — every entry carries the revision of its last
change, every deletion a tombstone — so the feed holds exactly what the documents
say, and a write cannot reach the directory without reaching the feed (the two are
one item). Only what a public read shows is listed: public contacts, and tombstones
of entries that were public.
"""

from __future__ import annotations

import io
import pickle
from bisect import bisect_left, bisect_right, insort
from collections.abc import Collection, Iterable, Sequence
from operator import attrgetter
from typing import Any, NamedTuple, cast

from .entries import Json, is_deleted
from .views import is_public


# A NamedTuple, not a dataclass: ordered, hashable and immutable alike, and defining it
# costs no code generation at import (a cold start pays for every dataclass it defines).
class Change(NamedTuple):
    revision: int
    kind: str
    id: str
    municipality_id: str
    operation: str  # created | updated | deleted
    at: str | None

    def view(self) -> Json:
        view: Json = {
            "revision": self.revision,
            "kind": self.kind,
            "id": self.id,
            "municipality": self.municipality_id,
            "operation": self.operation,
            "at": self.at,
        }
        if self.operation == "deleted":
            view["deleted"] = True
        return view


def _change(kind: str, entry: Json, municipality_id: str) -> Change | None:
    revision = entry.get("revision")
    if not isinstance(revision, int):
        return None  # pending: its revision is not known yet
    created = entry.get("created_revision")
    operation = "created" if created == revision else "updated"
    return Change(revision, kind, entry["id"], municipality_id, operation, entry.get("updated_at"))


def changes_of(doc: Json) -> Iterable[Change]:
    """Every stamped change one document records, public entries only."""
    municipality_id = doc["id"]
    if not is_deleted(doc):
        own = _change("municipality", doc, municipality_id)
        if own:
            yield own
        for office in doc.get("offices", []):
            found = _change("office", office, municipality_id)
            if found:
                yield found
            for contact in office.get("contacts", []):
                if is_public(contact):
                    found = _change("contact", contact, municipality_id)
                    if found:
                        yield found
    for tombstone in doc.get("tombstones", []):
        revision = tombstone.get("revision")
        if isinstance(revision, int) and tombstone.get("public", True):
            kind, entry_id, at = tombstone["kind"], tombstone["id"], tombstone.get("deleted_at")
            yield Change(revision, kind, entry_id, municipality_id, "deleted", at)


class _RowsOnly(pickle.Unpickler):
    """Reads a packed feed: lists and tuples of numbers and text, never a class."""

    def __init__(self, packed: bytes) -> None:
        super().__init__(io.BytesIO(packed))

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError("a packed feed names a class")


# Change's own order (order=True compares its fields in turn), as a key the sort compares in C.
_order = attrgetter("revision", "kind", "id", "municipality_id", "operation", "at")  # = tuple order


def _position(change: Change) -> tuple[int, str, str]:
    return change.revision, change.kind, change.id


class Feed:
    """All stamped changes of a snapshot in revision order, and how far the feed is complete.

    `complete_to` is the highest revision up to which every change is known: below
    the snapshot's revision while some write still waits for its stamp (its stamp
    will be higher than that write's `pending_after`). Changes above it are kept but
    not served until it moves past them.

    In a pack (packs.py) the changes travel as one pickled text of their own, made into
    Change objects when first read — by /changes or a catch-up, never by a cold start
    that only answers reads: ~40,000 objects at 10,000 municipalities.
    """

    __slots__ = ("_changes", "_packed", "complete_to")

    def __init__(self, changes: Sequence[Change], complete_to: int) -> None:
        self._changes: Sequence[Change] | None = changes  # never changed: `updated` copies
        self._packed: bytes | None = None
        self.complete_to = complete_to

    def __getstate__(self) -> tuple[None, dict[str, object]]:
        rows = pickle.dumps([tuple(change) for change in self.changes], protocol=pickle.HIGHEST_PROTOCOL)
        return None, {"_changes": None, "_packed": rows, "complete_to": self.complete_to}

    @property
    def changes(self) -> Sequence[Change]:
        changes = self._changes
        if changes is None:  # a packed feed, read for the first time (two threads: the same list)
            rows = _RowsOnly(cast(bytes, self._packed)).load()  # _packed is set while _changes is not
            changes = self._changes = [Change._make(row) for row in rows]
            self._packed = None
        return changes

    def of(self, municipality_ids: Collection[str]) -> list[Change]:
        """Every change of these municipalities (one pass over the feed)."""
        return [change for change in self.changes if change.municipality_id in municipality_ids]

    @classmethod
    def build(cls, changes: Iterable[Change], complete_to: int) -> Feed:
        return cls(sorted(changes, key=_order), complete_to)

    def updated(self, removed: Iterable[Change], added: Iterable[Change], complete_to: int) -> Feed:
        """A new feed without `removed` and with `added` (one municipality's changes, replaced)."""
        removed, added = set(removed), set(added)
        gone, new = removed - added, added - removed  # unchanged entries stay where they are
        if not gone and not new:
            return Feed(self.changes, complete_to)
        changes = list(self.changes)
        for change in gone:
            at = bisect_left(changes, change)
            if at < len(changes) and changes[at] == change:
                del changes[at]
        for change in new:
            insort(changes, change)
        return Feed(changes, complete_to)

    def since(
        self, revision: int, after: tuple[int, str, str] | None, limit: int
    ) -> tuple[list[Change], bool]:
        """Up to `limit` changes after `revision` (and after the cursor key), and whether more follow."""
        start = bisect_right(self.changes, after or (revision, "\uffff", "\uffff"), key=_position)
        end = bisect_right(self.changes, (self.complete_to, "\uffff", "\uffff"), key=_position)
        chunk = list(self.changes[start : min(start + limit, end)])
        return chunk, start + limit < end
