"""A stand-in for the store on the read side: documents as the write path leaves them, with a
change log (pure: no DynamoDB). Catch-up and pack tests drive it with explicit writes (a
Hypothesis state machine) or with a seeded random mix (`write_random`)."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence

from chalicelib.domain import entries
from chalicelib.domain.catchup import LogEntry
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.links import Links
from chalicelib.domain.snapshot import Snapshot
from chalicelib.write.document_edits import display_numbers, replace_content, tombstone_document
from chalicelib.write.models import Municipality
from chalicelib.write.writer import content_of
from tests.support.synthetic import Synthetic

LINKS = Links("")
AT = "2026-11-25T10:00:00.000+00:00"


class Table:
    """Documents as the write path leaves them, with a change log: a stand-in for the store."""

    def __init__(self, seed: int) -> None:
        self.synthetic = Synthetic(seed=seed)
        self.random = random.Random(seed)
        self.documents: dict[str, StoredDocument] = {}
        self.revision = 0
        self.log: list[LogEntry] = []

    def _doc(self, municipality_id: str) -> entries.Json | None:
        stored = self.documents.get(municipality_id)
        return json.loads(stored.document) if stored else None

    def _put(
        self, municipality_id: str, doc: entries.Json, *, pending: bool = False, logged: bool = True
    ) -> None:
        self.revision += 1
        if pending:
            doc["pending"] = {"after": self.revision - 1, "since": AT}
        else:
            doc = entries.stamp(doc, self.revision)
        version = self.documents[municipality_id].version + 1 if municipality_id in self.documents else 1
        self.documents[municipality_id] = StoredDocument(
            municipality_id, version, json.dumps(display_numbers(doc))
        )
        if logged:
            self.log.append(LogEntry(self.revision, (municipality_id,)))

    # -- the writes ----------------------------------------------------------------------

    def living(self) -> list[str]:
        return [i for i, d in self.documents.items() if not entries.is_deleted(json.loads(d.document))]

    def create(self, contacts: int, *, logged: bool = True) -> None:
        record = self.synthetic.model(contacts=contacts)
        self._put(record.id, replace_content(None, content_of(record), AT, "test"), logged=logged)

    def replace(self, municipality_id: str, contacts: int, *, keep_name: bool, logged: bool = True) -> None:
        old = self._doc(municipality_id)
        record = self.synthetic.model(id=municipality_id, contacts=contacts)
        if keep_name and old is not None:  # keep the name: only people change
            record = record.model_copy(update={"name": old["name"]})
        self._put(municipality_id, replace_content(old, content_of(record), AT, "test"), logged=logged)

    def delete(self, municipality_id: str, *, logged: bool = True) -> None:
        old = self._doc(municipality_id)
        assert old is not None
        self._put(municipality_id, tombstone_document(old, AT), logged=logged)

    def write_pending(self, municipality_id: str) -> None:
        """A write whose stamp has not landed yet."""
        old = self._doc(municipality_id)
        record: Municipality = self.synthetic.model(id=municipality_id, contacts=1)
        self._put(municipality_id, replace_content(old, content_of(record), AT, "test"), pending=True)

    def write_random(self, *, logged: bool = True) -> None:
        living = self.living()
        roll = self.random.random()
        if roll < 0.35 or len(living) < 3:
            self.create(self.random.randint(0, 3), logged=logged)
        elif roll < 0.75:
            municipality_id = self.random.choice(living)
            contacts = self.random.randint(0, 3)
            self.replace(municipality_id, contacts, keep_name=self.random.random() < 0.5, logged=logged)
        elif roll < 0.9:
            self.delete(self.random.choice(living), logged=logged)
        else:
            self.write_pending(self.random.choice(living))

    # -- the catch-up source --------------------------------------------------------

    def marker(self) -> tuple[int, tuple[str, ...] | None]:
        return self.revision, None  # as if the marker recorded nothing: the log says it all

    def change_log(self, after: int, upto: int) -> list[LogEntry]:
        return [entry for entry in self.log if after < entry.revision <= upto]

    def get_documents(self, municipality_ids: Sequence[str]) -> list[StoredDocument]:
        return [self.documents[i] for i in municipality_ids if i in self.documents]

    def full(self) -> Snapshot:
        return Snapshot.build(self.revision, list(self.documents.values()), LINKS)
