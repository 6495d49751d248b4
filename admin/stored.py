"""The stored directory as records: documents without the store's bookkeeping.

Stored documents carry what the write path keeps for itself — ``updated_at``/``updated_by``,
``revision``, ``created_revision``, ``tombstones``, ``pending``, ``deleted`` (see
``chalicelib/domain/entries.py``). Without it, a living document is exactly the content the
import wrote (``writer.content_of``): the normal form exports are made of and a dry run
compares against.
"""

from __future__ import annotations

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
