"""Importing a file whose contact or office ids collide with another municipality's, in the file or stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.errors import InvalidRecord
from chalicelib.storage.store import DirectoryStore
from chalicelib.write import importer
from chalicelib.write.writer import DirectoryWriter


def record(ags: str, office_id: str, contact_id: str) -> dict[str, Any]:
    return {
        "id": ags,
        "participation": {"status": "reported"},
        "offices": [
            {
                "id": office_id,
                "name": "Kommunales Integrationszentrum",
                "contacts": [
                    {"id": contact_id, "given_name": "Anna", "family_name": "Beispiel", "public": True}
                ],
            }
        ],
    }


def write(tmp_path: Path, *records: dict[str, Any]) -> Path:
    path = tmp_path / "directory.json"
    path.write_text(json.dumps({"municipalities": list(records)}), encoding="utf-8")
    return path


def test_the_same_contact_id_in_two_municipalities_of_a_file_is_refused(
    backend_store: DirectoryStore, tmp_path: Path
) -> None:
    path = write(tmp_path, record("05154", "ki-kleve", "c-shared"), record("05314", "ki-bonn", "c-shared"))
    with pytest.raises(InvalidRecord) as raised:
        importer.load(DirectoryWriter(backend_store), path)
    details = json.dumps(raised.value.details)
    assert "#/municipalities/0/offices/0/contacts/0" in details
    assert "#/municipalities/1/offices/0/contacts/0" in details
    assert "c-shared" not in details and "Anna" not in details
    assert backend_store.load_documents() == []  # nothing written


def test_an_id_taken_by_a_stored_municipality_the_file_keeps_is_refused(
    backend_store: DirectoryStore, tmp_path: Path
) -> None:
    writer = DirectoryWriter(backend_store)
    importer.load(writer, write(tmp_path, record("05154", "ki-kleve", "c-kleve")))
    with pytest.raises(InvalidRecord) as raised:
        importer.load(writer, write(tmp_path, record("05314", "ki-kleve", "c-bonn")))
    details = json.dumps(raised.value.details)
    assert "#/municipalities/0/offices/0" in details
    assert "stored 05154#/offices/0" in details
    assert [d.municipality_id for d in backend_store.load_documents()] == ["05154"]


def test_replacing_or_pruning_the_holder_frees_its_ids(backend_store: DirectoryStore, tmp_path: Path) -> None:
    writer = DirectoryWriter(backend_store)
    importer.load(writer, write(tmp_path, record("05154", "ki-kleve", "c-move")))
    # the contact moves from Kleve to Bonn in one file: Kleve's record is replaced
    moved = write(tmp_path, record("05154", "ki-kleve", "c-other"), record("05314", "ki-bonn", "c-move"))
    importer.load(writer, moved)
    # and Bonn's office id may take over Kleve's when Kleve is pruned
    importer.load(writer, write(tmp_path, record("05314", "ki-kleve", "c-move")), prune=True)
    documents = {d.municipality_id: json.loads(d.document) for d in backend_store.load_documents()}
    # Kleve is a tombstone now: its ids are free, and nothing of it is left but the tombstones
    assert documents["05154"]["deleted"] is True
    assert "offices" not in documents["05154"]
    assert [entry["id"] for entry in documents["05314"]["offices"]] == ["ki-kleve"]
