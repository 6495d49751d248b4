"""The write protocol's steps, shared by the editing API (editor.py) and the importer.

Offices and contacts live inside their municipality's item, so each write is one
conditional PutItem of that item. The protocol, without transactions (dynalite has
none):

1. read the item (strongly consistent) and check the client's If-Match against the
   *entry's* ETag — not the item's — so edits of different contacts never conflict;
2. apply the change; the entries it touches get ``revision: null`` (pending) and the
   document a ``pending`` note: the revision marker's value just before the write;
3. PutItem, conditional on the item's version. Lost the race → back to 1: the entry
   ETag decides again whether this edit still applies (412 if not);
4. bump the revision marker (warm containers reload; its value is the write's revision);
5. stamp the pending entries with that revision: PutItem of the same version, so a
   newer write is never overwritten (a newer write carries the pending entries along
   and stamps them itself).

Why stamp afterwards: a reader loads the marker first, then the items. A revision
taken *before* the item write could be older than a marker a reader already saw,
while the item was not yet there — the feed would skip it for good. A stamp taken
after is always newer than the snapshot that first held the change unstamped; until
then the feed stops short of the pending write (``pending.after``). A writer that dies
after step 3 leaves a pending document: readers serve its content, the feed waits,
and the next load past the grace period settles it (steps 4–5) — a change may be
delayed, never lost.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Callable, Iterable

from ..domain import entries
from ..domain.documents import StoredDocument
from ..domain.entries import Json
from ..domain.errors import DirectoryUnavailable, NotFound, StaleVersion, StoreUnavailable
from ..storage.store import DirectoryStore
from .document_edits import display_numbers

log = logging.getLogger(__name__)


def serialise(doc: Json) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


class WriteProtocol:
    def __init__(self, store: DirectoryStore, repack: Callable[[], None] | None = None) -> None:
        self.store = store
        # Leaves a fresh pack behind after an erasure dropped them (Directory.repack), so
        # cold starts never load every document; None: the next full load packs afresh.
        self.repack = repack

    def load(self, municipality_id: str) -> tuple[int | None, Json | None]:
        """Step 1: the item as it is now (version None: there is none)."""
        try:
            stored = self.store.get_document(municipality_id)
        except NotFound:
            return None, None
        return stored.version, json.loads(stored.document)

    def marker(self) -> int:
        return self.store.revision()

    def put_pending(
        self,
        municipality_id: str,
        version: int | None,
        doc: Json,
        previous: Json | None,
        at: str,
        marker: int,
    ) -> int:
        """Steps 2–3: the document with its pending note, conditional on `version`; the new version.

        StaleVersion or Conflict when another write came first.
        """
        carried = (previous or {}).get("pending")
        doc["pending"] = {
            # Both are at most the marker when the item lands: stamps will be higher.
            "after": min(marker, carried["after"]) if carried else marker,
            "since": carried["since"] if carried else at,
        }
        display_numbers(doc)
        written = (version or 0) + 1
        self.store.put_document(
            StoredDocument(municipality_id, written, serialise(doc)), expected_version=version
        )
        return written

    def settle(self, written: Iterable[tuple[str, int, Json]]) -> int:
        """Steps 4–5: one revision for the writes, stamped on each unless a newer write took over.

        The marker update itself records which municipalities the revision wrote, and
        between bump and stamps the revision's change-log entry says it again for
        containers further behind: they apply just those (domain/catchup.py). The log is a shortcut:
        if writing it fails, or this writer dies before it, containers see a revision
        without an entry and reload in full — the write itself is done either way.
        """
        written = list(written)
        revision = self.store.bump_revision([municipality_id for municipality_id, _, _ in written])
        try:
            self.store.log_change(revision, [municipality_id for municipality_id, _, _ in written])
        except StoreUnavailable:
            log.warning("revision %s has no change-log entry: containers will reload in full", revision)
        for municipality_id, version, doc in written:
            stamped = entries.stamp({k: v for k, v in doc.items() if k != "pending"}, revision)
            with contextlib.suppress(StaleVersion):
                self.store.put_document(
                    StoredDocument(municipality_id, version, serialise(stamped)), expected_version=version
                )
        if any(_erases(doc) for _, _, doc in written):
            # The pack is a copy of the directory for cold starts: a person deleted or
            # withdrawn must not live on in it. The next full load packs afresh.
            try:
                self.store.drop_packs(erased_at=revision)
            except StoreUnavailable:
                log.warning("revision %s erased an entry but the pack could not be dropped", revision)
            else:
                self._repack(revision)
        return revision

    def _repack(self, revision: int) -> None:
        if self.repack is None:
            return
        try:
            self.repack()  # a snapshot at this revision or later: the erasure is in it
        except (StoreUnavailable, DirectoryUnavailable):
            log.warning("revision %s dropped the pack and none could be written yet", revision)


_TURNS: dict[str, threading.Lock] = {}
_TURNS_GUARD = threading.Lock()


def turn_of(municipality_id: str) -> threading.Lock:
    """This process's lock for writes to one municipality (73 of them: never pruned)."""
    with _TURNS_GUARD:
        return _TURNS.setdefault(municipality_id, threading.Lock())


def _erases(doc: Json) -> bool:
    """Does this write leave a new tombstone (a deletion, or a contact withdrawn from the public)?"""
    return any(tombstone.get("revision") is None for tombstone in doc.get("tombstones", []))
