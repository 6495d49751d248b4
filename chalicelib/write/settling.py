"""Two ways the write side uses the read side's snapshot, each an explicit step.

- `Owners`: which municipality holds an office or contact id. The editor's own lookup
  over the Directory it is handed; on a miss it asks DynamoDB again (another container
  may have just created the entry). It never writes, so a reload inside a write is
  only a read.
- `Settling`: a snapshot that holds a write whose writer died before stamping it is
  settled after the grace period by the first reader that sees it (design.md,
  "Writes"). The composition root takes this step after reading (bootstrap.reading);
  the Directory itself never calls into the write side.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from ..domain.directory import Current, Directory
from ..domain.snapshot import Snapshot


class Owners:
    """Office and contact ids → their municipality, from the Directory's snapshot."""

    def __init__(self, directory: Directory) -> None:
        self._directory = directory

    def owner(self, entry_id: str) -> str | None:
        """The municipality an office or contact id belongs to; asks DynamoDB again on a miss."""
        found = self._directory.current().snapshot.owners.get(entry_id)
        if found is None:
            self._directory.invalidate()
            found = self._directory.current().snapshot.owners.get(entry_id)
        return found

    def erased_in(self, entry_id: str) -> str | None:
        """The municipality whose tombstone holds an erased office or contact id, if any.

        Asked after owner() missed, which has just refreshed the snapshot.
        """
        return self._directory.current().snapshot.erased.get(entry_id)


class Settling:
    """Reads from the Directory, settling abandoned writes once per snapshot that holds them."""

    def __init__(self, directory: Directory, settle_if_abandoned: Callable[[str], bool]) -> None:
        self._directory = directory
        self._settle_if_abandoned = settle_if_abandoned
        # The last snapshot tried, held weakly: each check of a pending snapshot yields a
        # new one, so this tries once per check interval, as often as the Directory reads.
        self._tried: weakref.ref[Snapshot] | None = None

    def current(self) -> Current:
        """The Directory's current snapshot, after settling what a dead writer left pending."""
        current = self._directory.current()
        snapshot = current.snapshot
        if not snapshot.pending or (self._tried is not None and self._tried() is snapshot):
            return current
        self._tried = weakref.ref(snapshot)
        settled = [self._settle_if_abandoned(municipality_id) for municipality_id in snapshot.pending]
        if not any(settled):
            return current
        # Stamping took a revision of its own: read it now, as a write in this container would.
        self._directory.invalidate()
        return self._directory.current()
