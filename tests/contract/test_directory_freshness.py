"""How often a warm snapshot talks to DynamoDB, counted on the wire (moto over HTTP)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from chalicelib.domain.directory import Directory
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.errors import DirectoryUnavailable
from chalicelib.domain.links import Links
from chalicelib.storage.store import DirectoryStore
from chalicelib.write import importer
from chalicelib.write.writer import DirectoryWriter
from tests.support.emulators import make_store
from tests.support.packs import FORMAT
from tests.support.snapshot_state import state_of
from tests.support.synthetic import Synthetic


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def counted(moto_endpoint: str) -> Any:
    store = make_store(moto_endpoint)
    importer.load(DirectoryWriter(store))
    calls: Counter[str] = Counter()
    store._client.meta.events.register("before-call.dynamodb", lambda model, **_: calls.update([model.name]))
    yield store, calls
    store.delete_table()


def test_warm_reads_within_the_interval_make_no_calls(counted: tuple[DirectoryStore, Counter[str]]) -> None:
    store, calls = counted
    clock = FakeClock()
    directory = Directory(store, Links(""), refresh_seconds=30, clock=clock)
    directory.current()
    # marker and pack pointer at once: the import left a pack of what it imported, so a
    # cold start reads no document
    assert calls == Counter({"BatchGetItem": 1})
    calls.clear()
    for _ in range(10):
        clock.now += 2.9
        directory.current()
    assert sum(calls.values()) == 0
    clock.now += 1
    directory.current()
    assert calls == Counter({"GetItem": 1})  # one cheap read; the revision has not moved


def test_a_moved_revision_is_caught_up_with_three_small_calls(
    counted: tuple[DirectoryStore, Counter[str]],
) -> None:
    store, calls = counted
    clock = FakeClock()
    directory = Directory(store, Links(""), refresh_seconds=5, clock=clock)
    first = directory.current().snapshot
    DirectoryWriter(store).create(Synthetic(seed=1).model(name="Stadt Frischhausen"))
    calls.clear()
    assert directory.current().snapshot is first  # inside the interval: still the old one
    clock.now += 5
    fresh = directory.current().snapshot
    assert fresh.revision == first.revision + 1
    assert len(fresh.municipalities) == len(first.municipalities) + 1
    # the marker (which also says what its revision wrote), then the one changed municipality
    assert calls == Counter({"GetItem": 2})
    assert (directory.pack_loads, directory.full_loads, directory.catch_ups) == (1, 0, 1)


def test_a_revision_without_its_log_entry_reloads_in_full(
    counted: tuple[DirectoryStore, Counter[str]],
) -> None:
    store, calls = counted
    clock = FakeClock()
    directory = Directory(store, Links(""), refresh_seconds=0, clock=clock)
    directory.current()
    store.bump_revision()  # a writer that died after the marker, before its log entry
    calls.clear()
    reloaded = directory.current().snapshot
    assert reloaded.revision == store.revision()
    assert calls["BatchGetItem"] == 1 and calls["Query"] == 1  # the log (a gap), then the directory
    assert (directory.pack_loads, directory.full_loads, directory.catch_ups) == (1, 1, 0)


def test_the_safety_net_reloads_in_full_once_the_bound_has_passed(
    counted: tuple[DirectoryStore, Counter[str]],
) -> None:
    store, _ = counted
    clock = FakeClock()
    directory = Directory(store, Links(""), refresh_seconds=0, clock=clock, full_reload_seconds=600)
    directory.current()
    writer = DirectoryWriter(store)
    synthetic = Synthetic(seed=5)
    writer.create(synthetic.model())
    directory.current()
    clock.now += 601
    directory.current()  # overdue, but nothing moved since: no reload for nothing
    assert (directory.pack_loads, directory.full_loads, directory.catch_ups) == (1, 0, 1)
    writer.create(synthetic.model())
    directory.current()
    assert (directory.pack_loads, directory.full_loads, directory.catch_ups) == (1, 1, 1)


def test_health_style_reads_never_call_dynamodb(counted: tuple[DirectoryStore, Counter[str]]) -> None:
    store, calls = counted
    clock = FakeClock()
    directory = Directory(store, Links(""), refresh_seconds=0, clock=clock)
    directory.current()
    calls.clear()
    clock.now += 100
    directory.current(check=False)
    assert sum(calls.values()) == 0


def test_a_missing_table_on_cold_start_is_unavailable(moto_endpoint: str) -> None:
    store = make_store(moto_endpoint)
    store.delete_table()
    directory = Directory(store, Links(""), refresh_seconds=0)
    with pytest.raises(DirectoryUnavailable):
        directory.current()


def test_a_cold_start_reads_the_pack_and_catches_up_instead_of_querying(
    counted: tuple[DirectoryStore, Counter[str]],
) -> None:
    store, calls = counted
    Directory(store, Links(""), refresh_seconds=0).current()  # a full load writes the pack
    writer = DirectoryWriter(store)
    synthetic = Synthetic(seed=12)
    for _ in range(3):
        writer.create(synthetic.model())
    calls.clear()
    cold = Directory(store, Links(""), refresh_seconds=0)
    snapshot = cold.current().snapshot
    assert (cold.pack_loads, cold.full_loads) == (1, 0)
    # marker and pack at once, the log of the two revisions before the marker's, three documents
    assert calls == Counter({"BatchGetItem": 3})
    fresh = Directory(store, Links(""), refresh_seconds=0)
    fresh_state = state_of(fresh.current().snapshot)
    assert fresh.pack_loads == 1
    full = Directory(_without_pack(store), Links(""), refresh_seconds=0).current().snapshot
    assert state_of(snapshot) == fresh_state == state_of(full)


def test_a_pack_too_far_behind_is_replaced_by_the_next_full_load(
    counted: tuple[DirectoryStore, Counter[str]],
) -> None:
    from chalicelib.domain.directory import PACK_REFRESH_REVISIONS

    store, _ = counted
    Directory(store, Links(""), refresh_seconds=0).current()
    packed_at = store.read_pack(FORMAT)
    assert packed_at is not None
    for _ in range(PACK_REFRESH_REVISIONS + 1):
        store.bump_revision()  # revisions without log entries: the next cold start must load in full
    cold = Directory(store, Links(""), refresh_seconds=0)
    cold.current()
    assert (cold.pack_loads, cold.full_loads) == (0, 1)
    repacked = store.read_pack(FORMAT)
    assert repacked is not None and repacked[0] == store.revision() > packed_at[0]


class _NoPack:
    """The same store seen by a container that cannot use packs: a plain full load."""

    def __init__(self, store: DirectoryStore) -> None:
        self._store = store

    def revision(self) -> int:
        return self._store.revision()

    def load_documents(self) -> list[StoredDocument]:
        return self._store.load_documents()


def _without_pack(store: DirectoryStore) -> _NoPack:
    return _NoPack(store)
