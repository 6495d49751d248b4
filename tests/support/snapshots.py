"""Snapshots built in memory from records, for the pure tests of search and queries."""

from __future__ import annotations

from collections.abc import Iterable

from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.links import Links
from chalicelib.domain.snapshot import Snapshot
from chalicelib.write import importer
from chalicelib.write.models import Municipality
from chalicelib.write.reference import load_reference


def shipped() -> list[Municipality]:
    return importer.read_directory(importer.DEFAULT_DIRECTORY, load_reference(importer.DEFAULT_REFERENCE))


def snapshot_of(municipalities: Iterable[Municipality], revision: int = 1) -> Snapshot:
    documents = [
        StoredDocument(m.id, m.version or 1, m.model_dump_json(exclude={"version"})) for m in municipalities
    ]
    return Snapshot.build(revision, documents, Links(""))
