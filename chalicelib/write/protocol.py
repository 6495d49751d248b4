"""The write protocol's steps, shared by the editing API and the importer.

See editor.py for the protocol and why stamps come after the item write.
"""

from __future__ import annotations

import contextlib
import json
import logging
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


def _erases(doc: Json) -> bool:
    """Does this write leave a new tombstone (a deletion, or a contact withdrawn from the public)?"""
    return any(tombstone.get("revision") is None for tombstone in doc.get("tombstones", []))
