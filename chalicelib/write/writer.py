"""The write path: validated municipalities into the store, then the revision bump.

Each municipality is one item, so each write is atomic on its own; the revision
marker is bumped after the item write, which is what tells warm containers to
reload. A crash between the two leaves the item written and containers serving
the previous revision until the next write or cold start — never a half record.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..domain.documents import StoredDocument
from ..domain.errors import InvalidRecord, NotFound
from ..storage.store import DirectoryStore
from .identity import duplicate_entry_ids
from .models import Municipality


def _document(municipality: Municipality) -> str:
    # version lives in its own attribute (the condition checks it); the doc holds the rest.
    return municipality.model_dump_json(exclude={"version"})


def _content(municipality: Municipality) -> dict[str, object]:
    """What a record says, without the bookkeeping fields a write sets."""
    data: dict[str, object] = json.loads(municipality.model_dump_json(exclude={"version", "updated_at"}))
    return data


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
    duplicates = duplicate_entry_ids(documents)
    if duplicates:
        first = duplicates[0]
        raise InvalidRecord(
            f"{first.kind} id given twice: {' and '.join(first.places)}",
            {"duplicates": [{"kind": d.kind, "places": list(d.places)} for d in duplicates]},
        )


@dataclass(frozen=True)
class ImportReport:
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    deleted: list[str]
    revision: int | None


class DirectoryWriter:
    def __init__(
        self, store: DirectoryStore, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._store = store
        self._clock = clock

    def _put(self, municipality: Municipality, expected_version: int | None) -> Municipality:
        version = 1 if expected_version is None else expected_version + 1
        saved = municipality.model_copy(update={"version": version, "updated_at": self._clock()})
        self._store.put_document(
            StoredDocument(saved.id, version, _document(saved)), expected_version=expected_version
        )
        return saved

    def create(self, municipality: Municipality) -> Municipality:
        saved = self._put(municipality, None)
        self._store.bump_revision()
        return saved

    def replace(self, municipality: Municipality, expected_version: int) -> Municipality:
        saved = self._put(municipality, expected_version)
        self._store.bump_revision()
        return saved

    def delete(self, municipality_id: str, expected_version: int | None = None) -> None:
        self._store.delete_document(municipality_id, expected_version=expected_version)
        self._store.bump_revision()

    def import_all(self, municipalities: Iterable[Municipality], *, prune: bool = False) -> ImportReport:
        """Upsert every record (unchanged ones are not rewritten), then bump the revision once.

        prune=True also deletes stored municipalities missing from the import, which
        is how a full list from the initiative's operators replaces the seed.
        """
        existing = {d.municipality_id: d for d in self._store.load_documents()}
        municipalities = list(municipalities)
        _refuse_duplicate_entry_ids(municipalities, existing, prune=prune)
        created, updated, unchanged, seen = [], [], [], set()
        for municipality in municipalities:
            seen.add(municipality.id)
            stored = existing.get(municipality.id)
            if stored is None:
                self._put(municipality, None)
                created.append(municipality.id)
                continue
            current = Municipality.model_validate({**json.loads(stored.document), "version": stored.version})
            if _content(current) == _content(municipality):
                unchanged.append(municipality.id)
            else:
                self._put(municipality, stored.version)
                updated.append(municipality.id)
        deleted = []
        if prune:
            for municipality_id, stored in existing.items():
                if municipality_id not in seen:
                    try:
                        self._store.delete_document(municipality_id, expected_version=stored.version)
                    except NotFound:
                        continue
                    deleted.append(municipality_id)
        revision = self._store.bump_revision() if (created or updated or deleted) else None
        return ImportReport(created, updated, unchanged, deleted, revision)
