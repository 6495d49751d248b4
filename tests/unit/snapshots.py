"""Snapshots built in memory from records, for the pure tests of search and queries."""

from __future__ import annotations

from collections.abc import Iterable

from chalicelib import loader
from chalicelib.directory import Snapshot
from chalicelib.models import Municipality
from chalicelib.reference import load_reference
from chalicelib.store import StoredDocument
from chalicelib.views import Links


def shipped() -> list[Municipality]:
    return loader.read_directory(loader.DEFAULT_DIRECTORY, load_reference(loader.DEFAULT_REFERENCE))


def snapshot_of(municipalities: Iterable[Municipality], revision: int = 1) -> Snapshot:
    documents = [
        StoredDocument(m.id, m.version or 1, m.model_dump_json(exclude={"version"})) for m in municipalities
    ]
    return Snapshot.build(revision, documents, Links(""))
