"""Stored documents as records: the store's bookkeeping stripped, deleted ones left out."""

from __future__ import annotations

import json

from admin.stored import StoredDirectory
from chalicelib.domain.documents import StoredDocument
from chalicelib.write import importer
from chalicelib.write.document_edits import replace_content, tombstone_document
from chalicelib.write.reference import load_reference
from chalicelib.write.writer import content_of

REFERENCE = load_reference(importer.DEFAULT_REFERENCE)
AT = "2026-11-25T10:00:00.000+00:00"


def _content(record: dict[str, object]) -> dict[str, object]:
    return content_of(importer.complete(record, REFERENCE))


def test_living_documents_come_back_as_the_content_an_import_wrote() -> None:
    person = {"id": "c-1", "given_name": "A", "family_name": "B"}
    essen = _content({
        "id": "05113",
        "participation": {"status": "reported"},
        "offices": [{"id": "ki-test", "name": "KI", "contacts": [person]}],
    })
    written = replace_content(None, essen, AT, "import")
    written["pending"] = {"after": 3, "since": AT}
    duisburg = _content({"id": "05112", "participation": {"status": "reported"}})
    gone = tombstone_document(replace_content(None, duisburg, AT, "import"), AT)
    stored = StoredDirectory.of(
        [StoredDocument("05113", 2, json.dumps(written)), StoredDocument("05112", 4, json.dumps(gone))]
    )
    assert stored.contents() == {"05113": essen}
    assert stored.pending() == {"05113": AT}
    [record] = stored.records()
    assert record["offices"][0]["contacts"] == [person | {"public": False}]
    assert "languages" not in json.dumps(record)  # empty lists are absent in files
    assert "updated_by" not in json.dumps(record) and "revision" not in json.dumps(record)
