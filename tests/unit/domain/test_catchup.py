"""Catching up by parts gives the snapshot a full load would build (pure: no DynamoDB)."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence

import pytest

from chalicelib.domain import entries
from chalicelib.domain.catchup import LogEntry, catch_up, changed_since
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.links import Links
from chalicelib.domain.parts import part_of
from chalicelib.domain.snapshot import Snapshot
from chalicelib.write.document_edits import display_numbers, replace_content, tombstone_document
from chalicelib.write.writer import content_of
from tests.support.snapshot_state import state_of
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

    def write_random(self, *, logged: bool = True) -> None:
        living = [i for i, d in self.documents.items() if not entries.is_deleted(json.loads(d.document))]
        roll = self.random.random()
        if roll < 0.35 or len(living) < 3:
            record = self.synthetic.model(contacts=self.random.randint(0, 3))
            self._put(record.id, replace_content(None, content_of(record), AT, "test"), logged=logged)
        elif roll < 0.75:
            municipality_id = self.random.choice(living)
            old = self._doc(municipality_id)
            record = self.synthetic.model(id=municipality_id, contacts=self.random.randint(0, 3))
            if self.random.random() < 0.5 and old is not None:  # keep the name: only people change
                record = record.model_copy(update={"name": old["name"]})
            self._put(municipality_id, replace_content(old, content_of(record), AT, "test"), logged=logged)
        elif roll < 0.9:
            municipality_id = self.random.choice(living)
            old = self._doc(municipality_id)
            assert old is not None
            self._put(municipality_id, tombstone_document(old, AT), logged=logged)
        else:  # a write whose stamp has not landed yet
            municipality_id = self.random.choice(living)
            old = self._doc(municipality_id)
            record = self.synthetic.model(id=municipality_id, contacts=1)
            self._put(municipality_id, replace_content(old, content_of(record), AT, "test"), pending=True)

    # -- the catch-up source --------------------------------------------------------

    def marker(self) -> tuple[int, tuple[str, ...] | None]:
        return self.revision, None  # as if the marker recorded nothing: the log says it all

    def change_log(self, after: int, upto: int) -> list[LogEntry]:
        return [entry for entry in self.log if after < entry.revision <= upto]

    def get_documents(self, municipality_ids: Sequence[str]) -> list[StoredDocument]:
        return [self.documents[i] for i in municipality_ids if i in self.documents]

    def full(self) -> Snapshot:
        return Snapshot.build(self.revision, list(self.documents.values()), LINKS)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("marker_says", [False, True], ids=["log-only", "marker-and-log"])
def test_catching_up_after_random_writes_equals_a_full_load(seed: int, marker_says: bool) -> None:
    table = Table(seed)
    for _ in range(25):
        table.write_random()
    snapshot = table.full()
    for _ in range(40):
        for _ in range(table.random.choice((1, 1, 1, 2, 5))):
            table.write_random()
        latest = None
        if marker_says and table.log and table.log[-1].revision == table.revision:
            latest = table.log[-1].municipality_ids
            table.log.pop()  # the marker alone says what the newest revision wrote
        caught_up = catch_up(snapshot, table.revision, table, latest)
        assert caught_up is not None
        assert state_of(caught_up) == state_of(table.full())
        snapshot = caught_up


def test_the_snapshot_caught_up_from_is_left_as_it_was() -> None:
    table = Table(99)
    for _ in range(20):
        table.write_random()
    before = table.full()
    kept = state_of(before)
    for _ in range(10):
        table.write_random()
    assert catch_up(before, table.revision, table) is not None
    assert state_of(before) == kept


def test_a_revision_without_a_log_entry_means_a_full_load() -> None:
    table = Table(7)
    for _ in range(10):
        table.write_random()
    snapshot = table.full()
    table.write_random()
    table.write_random(logged=False)  # the writer died between the marker and the log
    table.write_random()
    assert catch_up(snapshot, table.revision, table) is None


def test_changed_since_needs_every_revision_in_the_range() -> None:
    log = [LogEntry(3, ("a",)), LogEntry(4, ("b", "c")), LogEntry(6, ("a",))]
    assert changed_since(log, 2, 4) == {"a", "b", "c"}
    assert changed_since(log, 2, 6) is None
    assert changed_since(log, 4, 4) == set()


def test_an_unreadable_document_leaves_the_snapshot_as_a_full_load_would() -> None:
    table = Table(3)
    for _ in range(5):
        table.write_random()
    snapshot = table.full()
    victim = next(iter(snapshot.by_id))
    table.revision += 1
    table.documents[victim] = StoredDocument(victim, 99, "{broken")
    table.log.append(LogEntry(table.revision, (victim,)))
    caught_up = catch_up(snapshot, table.revision, table)
    assert caught_up is not None and victim not in caught_up.by_id
    assert state_of(caught_up) == state_of(table.full())
    assert part_of(table.documents[victim], LINKS) is None
