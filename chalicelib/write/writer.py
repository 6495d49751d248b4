"""Whole municipalities into the store: the importer's path, and the test suites' helper.

Every write goes through the same protocol as the editing API (protocol.py): the
item with its pending changes first, then the revision, then the stamps — an import
of many municipalities takes one revision. Unchanged records are not rewritten; an
import interrupted by a DynamoDB failure completes when run again (documents left
pending by it are stamped by the rerun).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..domain import entries
from ..domain.directory import Directory
from ..domain.documents import StoredDocument
from ..domain.entries import Json
from ..domain.errors import (
    Conflict,
    DirectoryUnavailable,
    InvalidRecord,
    NotFound,
    StaleVersion,
    StoreUnavailable,
)
from ..domain.links import Links
from ..storage.store import DirectoryStore
from .basis import Basis, NewerEdits, keep_absent, newer_edits
from .document_edits import now_iso, replace_content, tombstone_document
from .identity import duplicate_entry_ids
from .models import Municipality
from .protocol import WriteProtocol

IMPORT_LABEL = "import"
log = logging.getLogger(__name__)


def content_of(municipality: Municipality) -> Json:
    """A validated record as stored content: no bookkeeping, no empty fields."""
    content: Json = json.loads(
        municipality.model_dump_json(exclude_none=True, exclude={"version", "updated_at"})
    )
    return content


def _refuse_duplicate_entry_ids(
    municipalities: list[Municipality], existing: dict[str, StoredDocument], *, prune: bool
) -> None:
    """Refuse the import, before anything is written, if it would leave an id twice in the table."""
    documents: dict[str, Mapping[str, Any] | Municipality] = {
        f"#/municipalities/{n}": m for n, m in enumerate(municipalities)
    }
    if not prune:  # what stays stored: every municipality the file does not replace
        replaced = {m.id for m in municipalities}
        for municipality_id, stored in existing.items():
            if municipality_id not in replaced:
                documents[f"stored {municipality_id}#"] = json.loads(stored.document)
    _refuse_reserved_ids(municipalities, existing)
    duplicates = duplicate_entry_ids(documents)
    if duplicates:
        first = duplicates[0]
        raise InvalidRecord(
            f"{first.kind} id given twice: {' and '.join(first.places)}",
            {"duplicates": [{"kind": d.kind, "places": list(d.places)} for d in duplicates]},
        )


def _refuse_reserved_ids(municipalities: list[Municipality], existing: dict[str, StoredDocument]) -> None:
    """Refuse ids of erased entries: a tombstone holds its id for good (a card's UID derives from it).

    An id that a stored entry still holds is not erased, only moved (a tombstone is left
    where it was): the file may move it again, which the duplicate check governs.
    """
    stored = [json.loads(document.document) for document in existing.values()]
    living = {entry_id for doc in stored for _, entry_id in entries.entry_ids(doc)}
    erased = {entry_id for doc in stored for entry_id in entries.erased_ids(doc)} - living
    reserved = [
        f"#/municipalities/{n}{place}"
        for n, municipality in enumerate(municipalities)
        for place, entry_id in _id_places(municipality)
        if entry_id in erased
    ]
    if reserved:
        raise InvalidRecord(
            f"the id of an erased entry is used again: {' and '.join(reserved)}",
            {"reserved": reserved},
        )


def _id_places(municipality: Municipality) -> list[tuple[str, str]]:
    places = []
    for n, office in enumerate(municipality.offices):
        places.append((f"/offices/{n}", office.id))
        places.extend((f"/offices/{n}/contacts/{m}", contact.id) for m, contact in enumerate(office.contacts))
    return places


@dataclass(frozen=True)
class ImportReport:
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    deleted: list[str]
    revision: int | None


class DirectoryWriter:
    def __init__(
        self,
        store: DirectoryStore,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        label: str = IMPORT_LABEL,
        repack: Callable[[], None] | None = None,
    ) -> None:
        # repack: after an erasure (a deletion, a contact gone), leave a fresh pack
        # (Directory.repack); None: the next full load packs afresh. import_all packs either way.
        self._protocol = WriteProtocol(store, repack)
        self._clock = clock
        self._label = label

    def _write(
        self, municipality: Municipality, expected_version: int | None, *, create: bool
    ) -> Municipality:
        version, old = self._protocol.load(municipality.id)
        if create and old is not None and not entries.is_deleted(old):
            raise Conflict(f"municipality {municipality.id} already exists", {"id": municipality.id})
        if not create and version != expected_version:
            raise StaleVersion(
                f"municipality {municipality.id} is not at version {expected_version}",
                {"id": municipality.id, "expected_version": expected_version},
            )
        at = now_iso(self._clock)
        doc = replace_content(old, content_of(municipality), at, self._label)
        written = self._protocol.put_pending(municipality.id, version, doc, old, at, self._protocol.marker())
        self._protocol.settle([(municipality.id, written, doc)])
        return municipality.model_copy(update={"version": written})

    def create(self, municipality: Municipality) -> Municipality:
        return self._write(municipality, None, create=True)

    def replace(self, municipality: Municipality, expected_version: int) -> Municipality:
        return self._write(municipality, expected_version, create=False)

    def delete(self, municipality_id: str, expected_version: int | None = None) -> None:
        version, old = self._protocol.load(municipality_id)
        if old is None or version is None or entries.is_deleted(old):
            raise NotFound("no such municipality")
        if expected_version is not None and version != expected_version:
            raise StaleVersion(f"municipality {municipality_id} is not at version {expected_version}")
        at = now_iso(self._clock)
        doc = tombstone_document(old, at)
        written = self._protocol.put_pending(municipality_id, version, doc, old, at, self._protocol.marker())
        self._protocol.settle([(municipality_id, written, doc)])

    def import_all(
        self,
        municipalities: Iterable[Municipality],
        *,
        prune: bool = False,
        basis: Basis | None = None,
        overwrite_newer: bool = False,
    ) -> ImportReport:
        """Upsert every record, then one revision for all of it.

        prune=True also deletes stored municipalities missing from the import (leaving
        tombstones), which is how a full list from the initiative replaces the seed.

        With a ``basis`` (what the file was taken from; the admin import always gives one)
        the import is a file's import: stored edits it would revert are refused with
        NewerEdits before anything is written (unless ``overwrite_newer``), and offices and
        contacts the file does not list are kept unless ``prune``. Without one (seeding,
        test set-up) the records replace what is stored.
        """
        existing = {d.municipality_id: d for d in self._protocol.store.load_documents()}
        municipalities = list(municipalities)
        contents = {m.id: content_of(m) for m in municipalities}
        if basis is not None:
            documents = {k: json.loads(d.document) for k, d in existing.items()}
            found = newer_edits(documents, contents.values(), basis, prune=prune)
            if found and not overwrite_newer:
                raise NewerEdits(found)
            if not prune:
                contents = {k: keep_absent(documents.get(k), c) for k, c in contents.items()}
        _refuse_duplicate_entry_ids(municipalities, existing, prune=prune)
        marker = self._protocol.marker()
        at = now_iso(self._clock)
        created: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        deleted: list[str] = []
        to_settle: list[tuple[str, int, Json]] = []
        seen: set[str] = set()
        for municipality in municipalities:
            seen.add(municipality.id)
            stored = existing.get(municipality.id)
            old = json.loads(stored.document) if stored else None
            doc = replace_content(old, contents[municipality.id], at, self._label)
            living = old is not None and not entries.is_deleted(old)
            if living and not entries.is_pending(doc):
                unchanged.append(municipality.id)
                if old is not None and stored is not None and "pending" in old:
                    to_settle.append((municipality.id, stored.version, old))  # left by an interrupted run
                continue
            version = stored.version if stored else None
            to_settle.append(
                (
                    municipality.id,
                    self._protocol.put_pending(municipality.id, version, doc, old, at, marker),
                    doc,
                )
            )
            (updated if living else created).append(municipality.id)
        if prune:
            for municipality_id, stored in existing.items():
                old = json.loads(stored.document)
                if municipality_id in seen or entries.is_deleted(old):
                    continue
                doc = tombstone_document(old, at)
                written = self._protocol.put_pending(municipality_id, stored.version, doc, old, at, marker)
                to_settle.append((municipality_id, written, doc))
                deleted.append(municipality_id)
        revision = self._protocol.settle(to_settle) if to_settle else None
        if revision is not None:
            self._pack()
        return ImportReport(created, updated, unchanged, deleted, revision)

    def _pack(self) -> None:
        """Leave a pack of the imported directory: no cold start then loads every document."""
        try:
            (self._protocol.repack or Directory(self._protocol.store, Links(""), 0).repack)()
        except (StoreUnavailable, DirectoryUnavailable):
            log.warning("the import is done but no pack could be written: the next full load packs")
