"""Directory freshness logic with a source that fails on demand (the wire-level twin is in integration)."""

from __future__ import annotations

import pytest

from chalicelib.domain.directory import Directory
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.errors import DirectoryUnavailable, StoreUnavailable
from chalicelib.domain.links import Links
from tests.support.synthetic import Synthetic


class FlakySource:
    def __init__(self) -> None:
        model = Synthetic(seed=21).model()
        self.documents = [StoredDocument(model.id, 1, model.model_dump_json(exclude={"version"}))]
        self.revision_value = 1
        self.down = False
        self.loads = 0

    def revision(self) -> int:
        if self.down:
            raise StoreUnavailable("DynamoDB GetItem failed")
        return self.revision_value

    def load_documents(self) -> list[StoredDocument]:
        if self.down:
            raise StoreUnavailable("DynamoDB Query failed")
        self.loads += 1
        return self.documents


def test_outage_marks_stale_and_recovery_clears_it() -> None:
    source = FlakySource()
    directory = Directory(source, Links(""), refresh_seconds=0)
    first = directory.current()
    assert first.stale is False
    source.down = True
    during = directory.current()
    assert during.stale is True
    assert during.snapshot is first.snapshot
    source.down = False
    after = directory.current()
    assert after.stale is False
    assert after.snapshot is first.snapshot  # same revision: nothing reloaded


def test_recovery_with_a_new_revision_reloads() -> None:
    source = FlakySource()
    directory = Directory(source, Links(""), refresh_seconds=0)
    first = directory.current()
    source.down = True
    directory.current()
    source.down = False
    source.revision_value = 2
    after = directory.current()
    assert after.snapshot is not first.snapshot
    assert (after.snapshot.revision, after.stale) == (2, False)


def test_unchanged_state_returns_the_same_current_object() -> None:
    source = FlakySource()
    directory = Directory(source, Links(""), refresh_seconds=0)
    first = directory.current()
    second = directory.current()  # refresh_seconds=0: the revision is checked again ...
    assert source.loads == 1  # ... and, unchanged, no document is read twice
    assert second is first


def test_cold_start_without_dynamodb_is_unavailable_then_recovers() -> None:
    source = FlakySource()
    source.down = True
    directory = Directory(source, Links(""), refresh_seconds=0)
    with pytest.raises(DirectoryUnavailable):
        directory.current()
    source.down = False
    assert len(directory.current().snapshot.municipalities) == 1


def test_an_unreadable_document_is_skipped_not_fatal() -> None:
    source = FlakySource()
    source.documents.append(StoredDocument("05999999", 1, "{not json"))
    directory = Directory(source, Links(""), refresh_seconds=0)
    assert [e.id for e in directory.current().snapshot.municipalities] == [
        source.documents[0].municipality_id
    ]


def test_a_loaded_snapshot_is_out_of_the_collectors_reach() -> None:
    """No full collection walks the snapshot (at 10k ~0.65 s, on whichever request triggered it)."""
    import gc

    source = FlakySource()
    directory = Directory(source, Links(""), refresh_seconds=0)
    try:
        snapshot = directory.current().snapshot
        tracked = {id(o) for o in gc.get_objects()}  # generations 0-2: what a collection walks
        assert id(snapshot.by_id) not in tracked and id(snapshot.municipalities) not in tracked
        source.revision_value = 2  # a newer snapshot (here a reload) is frozen too
        newer = directory.current().snapshot
        assert newer is not snapshot
        assert id(newer.by_id) not in {id(o) for o in gc.get_objects()}
    finally:
        gc.unfreeze()
