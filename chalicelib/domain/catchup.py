"""Catching up: a warm container applies the municipalities that changed, not the directory.

Every settled write records the ids of the municipalities it wrote twice: on the
revision marker itself, in the same atomic update that takes the revision (so a
container one revision behind learns what changed from the GetItem that told it it
is behind), and in a change-log item per revision (storage keys ``CHANGES``) for
containers further behind (write/protocol.py). A container at revision R that sees
the marker at M reads the entries R+1..M-1 by key, then the documents of the
municipalities named, and replaces just those parts of its snapshot
(Snapshot.replaced): the same snapshot a full reload would build, at the cost of
the change.

The log is a shortcut, never the only way: a writer that dies between bumping the
marker and logging leaves a revision without its entry. A gap in the log (a revision
in R+1..M without an entry) makes the container fall back to a full reload, and so
does a log longer than `MAX_CATCH_UP` municipalities; directory.py also reloads in
full every `GK_FULL_RELOAD_SECONDS` whatever the log says, so a container converges
on the table's contents within that bound even if an entry were ever wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol

from .documents import StoredDocument
from .parts import part_of
from .snapshot import Snapshot

# Beyond this many municipalities a full reload is cheaper than fetching them one by one.
MAX_CATCH_UP = 500


class LogEntry(NamedTuple):
    """What one revision wrote: the municipalities whose documents it changed."""

    revision: int
    municipality_ids: tuple[str, ...]


class ChangeLogSource(Protocol):
    def marker(self) -> tuple[int, tuple[str, ...] | None]: ...

    def change_log(self, after: int, upto: int) -> list[LogEntry]: ...

    def get_documents(self, municipality_ids: Sequence[str]) -> list[StoredDocument]: ...


def changed_since(entries: Iterable[LogEntry], after: int, upto: int) -> set[str] | None:
    """The municipalities revisions after..upto changed; None if any revision has no entry."""
    seen: set[int] = set()
    ids: set[str] = set()
    for entry in entries:
        if after < entry.revision <= upto:
            seen.add(entry.revision)
            ids.update(entry.municipality_ids)
    if seen != set(range(after + 1, upto + 1)):
        return None
    return ids


def catch_up(
    snapshot: Snapshot, revision: int, source: ChangeLogSource, latest: tuple[str, ...] | None = None
) -> Snapshot | None:
    """The snapshot at `revision`, from the log and the changed documents; None: reload in full.

    `latest` is what the marker says `revision` itself wrote (if it says): one revision
    behind, no log read is needed. Municipalities still pending in the snapshot are
    read again too: their stamps land without a log entry of their own when a newer
    write settles them.
    """
    if revision < snapshot.revision:
        return None
    known = [LogEntry(revision, latest)] if latest is not None and revision > snapshot.revision else []
    upto = revision - 1 if known else revision
    entries = source.change_log(snapshot.revision, upto) if upto > snapshot.revision else []
    ids = changed_since([*entries, *known], snapshot.revision, revision)
    if ids is None:
        return None
    ids |= snapshot.pending.keys()
    if len(ids) > MAX_CATCH_UP:
        return None
    documents = source.get_documents(sorted(ids)) if ids else []
    parts = [part for document in documents if (part := part_of(document, snapshot.links)) is not None]
    # Gone: deleted outright, or unreadable now — a full load would leave both out too.
    return snapshot.replaced(revision, parts, gone=ids - {part.id for part in parts})
