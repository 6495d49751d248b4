"""The Directory: the container's snapshot, and when it loads a newer one.

A cold container loads the pack — the whole directory at some revision, compressed into
a few items — and catches up from there; a full load (one paginated Query) writes a
new pack when the one it knows of lags behind. The Directory then asks the store for
the revision marker at most once every
`refresh_seconds`. When it moved, the container catches up (catchup.py): it reads
the change log and the few municipalities that changed and applies them to its
snapshot. It reloads everything only on a cold start, when the log has a gap or is
too long, and — as a safety net — when its last full load is older than
`full_reload_seconds` and the revision has moved since. When DynamoDB fails, the
last good snapshot keeps being served and is reported stale rather than turning
reads into errors.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple, Protocol, runtime_checkable

from . import packs
from .catchup import LogEntry, catch_up
from .documents import StoredDocument
from .errors import DirectoryUnavailable, StoreUnavailable
from .links import Links
from .snapshot import Snapshot

log = logging.getLogger(__name__)

# A full load writes a new pack when the newest it knows of is this many revisions old:
# cold starts catch up at most about that many revisions from the pack.
PACK_REFRESH_REVISIONS = 20


def _settled() -> None:
    """A new snapshot is in place: move everything alive now out of the collector's reach.

    At 10,000 municipalities a full collection walks ~10⁶ long-lived objects (~0.65 s)
    and would land on whichever request happened to trigger it. Frozen objects are
    never scanned; what a replaced snapshot alone held is still freed by reference
    counting (snapshots hold no cycles).
    """
    gc.freeze()


class SnapshotSource(Protocol):
    """What a Directory reads: the revision marker and every document (DirectoryStore)."""

    def revision(self) -> int: ...

    def load_documents(self) -> list[StoredDocument]: ...


@runtime_checkable
class CatchUpSource(SnapshotSource, Protocol):
    """A source with a change log (DirectoryStore): lets a container apply just what changed."""

    def marker(self) -> tuple[int, tuple[str, ...] | None]: ...

    def change_log(self, after: int, upto: int) -> list[LogEntry]: ...

    def get_documents(self, municipality_ids: Sequence[str]) -> list[StoredDocument]: ...


@runtime_checkable
class PackSource(CatchUpSource, Protocol):
    """A source that keeps the directory packed in a few items, for cold starts."""

    def marker_and_pack(
        self, pack_format: str
    ) -> tuple[tuple[int, tuple[str, ...] | None], tuple[int, bytes] | None]: ...

    def write_pack(self, revision: int, data: bytes, pack_format: str) -> bool: ...


class Current(NamedTuple):
    snapshot: Snapshot
    stale: bool  # True while DynamoDB fails and an older snapshot is served


class Directory:
    """Holds the container's snapshot and decides when to look for a newer one.

    It reads and never writes documents: a write a dead writer left pending is settled
    by a step the composition root takes after reading (write/settling.py), not by a
    callback from here into the write side.
    """

    def __init__(
        self,
        store: SnapshotSource,
        links: Links,
        refresh_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        full_reload_seconds: float = 3600,
    ) -> None:
        self._store = store
        self._links = links
        self._refresh_seconds = refresh_seconds
        self._clock = clock
        self._current: Current | None = None  # replaced, never mutated: safe to hand out
        self._checked_at = 0.0
        # The safety net: a snapshot that caught up is reloaded in full at most this
        # long after its last full load, so even a wrong change-log entry is repaired.
        self._full_reload_seconds = full_reload_seconds
        self._full_at = 0.0
        self._full_revision = 0
        self.catch_ups = 0  # how this container followed the writes, for logs and tests
        self.full_loads = 0
        self.pack_loads = 0
        self._pack_revision: int | None = None  # of the newest pack this container knows of
        # chalice local serves requests on threads; Lambda never does. One
        # reload at a time either way.
        self._lock = threading.Lock()

    def current(self, *, check: bool = True) -> Current:
        """The snapshot to answer from, refreshed if the check interval has passed.

        check=False serves a warm snapshot without any DynamoDB call (health).
        """
        current = self._current
        if current is None:
            return self._first_load()
        if check and self._clock() - self._checked_at >= self._refresh_seconds:
            return self._check(current)
        return current

    def invalidate(self) -> None:
        """Check the revision on the next read: this container just wrote."""
        self._checked_at = float("-inf")

    def _first_load(self) -> Current:
        with self._lock:
            if self._current is None:
                try:
                    self._checked_at = self._clock()
                    self._current = Current(self._cold_start(), stale=False)
                    _settled()
                except StoreUnavailable as exc:
                    raise DirectoryUnavailable(
                        "the directory cannot be loaded right now", {"reason": exc.message}
                    ) from exc
            return self._current

    def _check(self, served: Current) -> Current:
        with self._lock:
            if self._current is not served:  # another thread refreshed while we waited
                return self._current if self._current is not None else served
            self._checked_at = self._clock()
            try:
                if isinstance(self._store, CatchUpSource):
                    revision, latest = self._store.marker()
                else:
                    revision, latest = self._store.revision(), None
                # A snapshot holding an unstamped write is read again until it is
                # stamped: that is how a dead writer's change is settled.
                if revision != served.snapshot.revision or served.snapshot.pending:
                    self._current = Current(self._advance(served.snapshot, revision, latest), stale=False)
                    _settled()
                elif served.stale:
                    self._current = Current(served.snapshot, stale=False)
            except StoreUnavailable:
                if not served.stale:
                    log.warning("serving revision %s stale: DynamoDB unavailable", served.snapshot.revision)
                    self._current = Current(served.snapshot, stale=True)
            return self._current if self._current is not None else served

    def _advance(self, served: Snapshot, revision: int, latest: tuple[str, ...] | None) -> Snapshot:
        """The snapshot at `revision`: caught up from `served` where the log allows, else reloaded."""
        overdue = self._clock() - self._full_at >= self._full_reload_seconds
        if not isinstance(self._store, CatchUpSource) or (overdue and revision != self._full_revision):
            return self._load(revision)
        # Like a full load, the marker was read before the log and the documents: a
        # write landing in between is in them or announced by a newer revision.
        snapshot = catch_up(served, revision, self._store, latest)
        if snapshot is None:
            return self._load(revision)
        self.catch_ups += 1
        log.info("caught up to revision %s from %s", revision, served.revision)
        return snapshot

    def _cold_start(self) -> Snapshot:
        """The first snapshot: the pack (a few items) caught up through the log, else a full load."""
        store = self._store
        if not isinstance(store, PackSource):
            return self._load(store.revision())
        started = self._clock()
        (revision, latest), pack = store.marker_and_pack(packs.fingerprint())
        if pack is None or pack[0] > revision:  # none yet, or newer than the marker we read
            return self._load(revision)
        packed = packs.decode(pack[1], self._links)
        if packed is None or packed.revision != pack[0]:  # unreadable: packed afresh by the full load
            return self._load(revision)
        self._pack_revision = pack[0]
        snapshot = catch_up(packed, revision, store, latest)
        if snapshot is None:  # a gap in the log since the pack, or too much to catch up
            return self._load(revision)
        # The pack was a full load's snapshot: the safety net counts from its revision.
        self._full_at, self._full_revision = started, pack[0]
        self.pack_loads += 1
        log.info("loaded revision %s from the pack of revision %s", snapshot.revision, pack[0])
        return snapshot

    def _load(self, revision: int) -> Snapshot:
        # The revision is read before the items: a write that lands in between is
        # then either in this snapshot or announced by a newer revision — never lost.
        started = self._clock()
        documents = self._store.load_documents()
        snapshot = Snapshot.build(revision, documents, self._links)
        self._full_at, self._full_revision = started, revision
        self.full_loads += 1
        log.info("loaded revision %s: %s municipalities", revision, len(snapshot.municipalities))
        self._refresh_pack(snapshot)
        return snapshot

    def repack(self) -> None:
        """Pack this container's snapshot, brought up to the marker, whatever the last pack was.

        For the writes that drop the packs (an erasure) and for imports: the next cold
        start then loads a pack instead of every document (catching up costs a few
        reads; a container without a snapshot loads in full and packs that).
        """
        self.invalidate()
        current = self.current()
        # Never pack a stale snapshot: it may hold what was just erased.
        if not current.stale and self._pack_revision != current.snapshot.revision:
            self._refresh_pack(current.snapshot, force=True)

    def _refresh_pack(self, snapshot: Snapshot, *, force: bool = False) -> None:
        """After a full load: pack it for the next cold starts, if the pack lags far enough behind."""
        if not isinstance(self._store, PackSource):
            return
        revision = snapshot.revision
        known = self._pack_revision
        if not force and known is not None and revision - known < PACK_REFRESH_REVISIONS:
            return
        try:
            if self._store.write_pack(revision, packs.encode(snapshot), packs.fingerprint()):
                self._pack_revision = revision
                log.info("packed revision %s for cold starts", revision)
        except StoreUnavailable:
            log.warning("could not pack revision %s: cold starts load in full meanwhile", revision)
