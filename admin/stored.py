"""The stored directory as records: documents without the store's bookkeeping.

Stored documents carry what the write path keeps for itself — ``updated_at``/``updated_by``,
``revision``, ``created_revision``, ``tombstones``, ``pending``, ``deleted`` (see
``chalicelib/domain/entries.py``). Without it, a living document is exactly the content the
import wrote (``writer.content_of``): the normal form exports are made of and a dry run
compares against.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass

from admin.formats import Record, canonical, sort_by_id
from chalicelib.domain import entries
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.entries import Json
from chalicelib.write.validation import strip_read_only


@dataclass(frozen=True)
class StoredDirectory:
    """Every stored document, parsed."""

    documents: dict[str, Json]

    @classmethod
    def of(cls, stored: Iterable[StoredDocument]) -> StoredDirectory:
        return cls({d.municipality_id: json.loads(d.document) for d in stored})

    def contents(self) -> dict[str, Json]:
        """The living municipalities' content, by id: what an import of them would write."""
        return {
            municipality_id: strip_read_only(doc)
            for municipality_id, doc in self.documents.items()
            if not entries.is_deleted(doc)
        }

    def pending(self) -> dict[str, str]:
        """Municipalities holding a write not yet stamped with its revision, and since when."""
        return {
            municipality_id: str(doc["pending"].get("since", ""))
            for municipality_id, doc in sorted(self.documents.items())
            if isinstance(doc.get("pending"), dict)
        }

    def records(self) -> list[Record]:
        """The living municipalities as file records (no empty fields), sorted by id."""
        return sort_by_id(canonical(content) for content in self.contents().values())

    def versioned_records(self) -> list[Record]:
        """``records()`` with each entry's ``revision``: what an export writes.

        The revision of an entry's last change lets an import of the file tell an entry
        edited since the export (see ``chalicelib/write/basis.py``). An entry still pending
        has none yet and is written without.
        """
        records = []
        for municipality_id, content in self.contents().items():
            doc = self.documents[municipality_id]
            record = copy.deepcopy(content)
            _revision(record, doc)
            stored_offices = {o["id"]: o for o in doc.get("offices", [])}
            stored_contacts = {c["id"]: c for o in doc.get("offices", []) for c in o.get("contacts", [])}
            for office in record.get("offices", []):
                _revision(office, stored_offices.get(office["id"], {}))
                for contact in office.get("contacts", []):
                    _revision(contact, stored_contacts.get(contact["id"], {}))
            records.append(canonical(record))
        return sort_by_id(records)


def _revision(entry: Json, stored: Json) -> None:
    revision = stored.get("revision")
    if isinstance(revision, int) and not isinstance(revision, bool):
        entry["revision"] = revision
