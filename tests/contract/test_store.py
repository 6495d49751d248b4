"""The store's contract, run against moto and dynalite alike, and the in-memory store.

The in-memory store (tests/support/memory_store.py) carries the editor's unit tests: that
it passes this suite as moto and dynalite do is what lets those tests stand for DynamoDB.
tests/package/test_table_on_cloudformation.py collects these tests again on its own table.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.errors import Conflict, NotFound, StaleVersion
from chalicelib.storage.store import DirectoryStore
from tests.support.emulators import make_store
from tests.support.memory_store import MemoryStore


@pytest.fixture(params=["moto", pytest.param("dynalite", marks=pytest.mark.dynalite), "memory"])
def backend_store(request: pytest.FixtureRequest) -> Iterator[DirectoryStore]:
    """A fresh table on each emulator, or a fresh in-memory store: one contract for all three."""
    if request.param == "memory":
        yield MemoryStore().as_store()
        return
    store = make_store(request.getfixturevalue(f"{request.param}_endpoint"))
    yield store
    store.delete_table()


def doc(municipality_id: str, version: int = 1, body: str = '{"name": "x"}') -> StoredDocument:
    return StoredDocument(municipality_id, version, body)


def test_revision_starts_at_zero_and_counts_up(backend_store: DirectoryStore) -> None:
    assert backend_store.revision() == 0
    assert backend_store.bump_revision() == 1
    assert backend_store.bump_revision() == 2
    assert backend_store.revision() == 2


def test_create_then_read_back_exactly(backend_store: DirectoryStore) -> None:
    body = '{"name": "Kreis Höxter – ß, emoji 🙂, quotes \\" and \\\\"}'
    backend_store.put_document(doc("05762", body=body), expected_version=None)
    stored = backend_store.get_document("05762")
    assert stored == StoredDocument("05762", 1, body)


def test_create_only_refuses_an_existing_item_and_keeps_it(backend_store: DirectoryStore) -> None:
    backend_store.put_document(doc("05566", body='{"v": "first"}'), expected_version=None)
    with pytest.raises(Conflict):
        backend_store.put_document(doc("05566", body='{"v": "second"}'), expected_version=None)
    assert backend_store.get_document("05566").document == '{"v": "first"}'


def test_replace_needs_the_current_version(backend_store: DirectoryStore) -> None:
    backend_store.put_document(doc("05566", 1, '{"v": 1}'), expected_version=None)
    backend_store.put_document(doc("05566", 2, '{"v": 2}'), expected_version=1)
    with pytest.raises(StaleVersion):
        backend_store.put_document(doc("05566", 2, '{"v": "lost update"}'), expected_version=1)
    assert backend_store.get_document("05566") == StoredDocument("05566", 2, '{"v": 2}')


def test_replace_of_a_missing_item_is_stale_not_a_create(backend_store: DirectoryStore) -> None:
    with pytest.raises(StaleVersion):
        backend_store.put_document(doc("05111", 2), expected_version=1)
    with pytest.raises(NotFound):
        backend_store.get_document("05111")


def test_delete_removes_the_item(backend_store: DirectoryStore) -> None:
    backend_store.put_document(doc("05315"), expected_version=None)
    backend_store.delete_document("05315")
    with pytest.raises(NotFound):
        backend_store.get_document("05315")
    with pytest.raises(NotFound):
        backend_store.delete_document("05315")


def test_delete_with_a_stale_version_keeps_the_item(backend_store: DirectoryStore) -> None:
    backend_store.put_document(doc("05315", 3), expected_version=None)
    with pytest.raises(StaleVersion):
        backend_store.delete_document("05315", expected_version=2)
    assert backend_store.get_document("05315").version == 3


def test_load_documents_pages_through_everything_once(backend_store: DirectoryStore) -> None:
    ids = [f"05999{n:03d}" for n in range(7)]
    for municipality_id in ids:
        backend_store.put_document(
            doc(municipality_id, body=f'{{"id": "{municipality_id}"}}'), expected_version=None
        )
    backend_store.bump_revision()  # the marker lives in another partition and must not be loaded
    loaded = backend_store.load_documents(page_size=2)
    assert sorted(d.municipality_id for d in loaded) == ids
    assert all(d.document == f'{{"id": "{d.municipality_id}"}}' for d in loaded)


def test_create_table_is_idempotent(backend_store: DirectoryStore) -> None:
    backend_store.put_document(doc("05566"), expected_version=None)
    backend_store.create_table()
    assert backend_store.get_document("05566").version == 1


def test_change_log_lists_the_revisions_asked_for_in_order(backend_store: DirectoryStore) -> None:
    from chalicelib.domain.catchup import LogEntry

    backend_store.log_change(9, ["05566", "05558"])
    backend_store.log_change(10, ["05566"])
    backend_store.log_change(11, ["05711"])
    assert backend_store.change_log(9, 11) == [LogEntry(10, ("05566",)), LogEntry(11, ("05711",))]
    assert backend_store.change_log(8, 9) == [LogEntry(9, ("05558", "05566"))]
    assert backend_store.change_log(11, 11) == []
    assert backend_store.load_documents() == []  # the log is not in the directory's partition


def test_a_revision_too_large_to_list_is_left_out_of_the_log(backend_store: DirectoryStore) -> None:
    from chalicelib.storage.store import MAX_LOGGED_IDS

    backend_store.log_change(1, [f"059{n:05d}" for n in range(MAX_LOGGED_IDS + 1)])
    assert backend_store.change_log(0, 1) == []  # readers see a gap and reload in full


def test_get_documents_reads_many_and_leaves_out_missing_ones(backend_store: DirectoryStore) -> None:
    ids = [f"059{n:05d}" for n in range(130)]  # more than one BatchGetItem
    for municipality_id in ids:
        body = f'{{"id": "{municipality_id}"}}'
        backend_store.put_document(doc(municipality_id, body=body), expected_version=None)
    found = backend_store.get_documents([*ids, "05999999", ids[0]])
    assert sorted(d.municipality_id for d in found) == ids
    assert {d.document for d in found} == {f'{{"id": "{i}"}}' for i in ids}


def test_a_pack_round_trips_in_chunks_and_only_moves_forward(backend_store: DirectoryStore) -> None:
    assert backend_store.read_pack("f1") is None
    data = bytes(range(256)) * 40
    assert backend_store.write_pack(7, data, "f1", chunk_bytes=2_000)  # several chunks
    assert backend_store.read_pack("f1") == (7, data)
    assert not backend_store.write_pack(6, data[:10], "f1")  # an older pack never replaces a newer
    assert not backend_store.write_pack(7, data[:10], "f1")  # nor one of the same revision
    assert backend_store.read_pack("f1") == (7, data)
    assert backend_store.write_pack(9, data[:20], "f1")
    assert backend_store.read_pack("f1") == (9, data[:20])


def test_a_pack_of_another_format_is_ignored_and_replaced(backend_store: DirectoryStore) -> None:
    data = b"old code's pack " * 500
    assert backend_store.write_pack(9, data, "old", chunk_bytes=2_000)
    assert backend_store.read_pack("new") is None  # never handed to code that would misread it
    assert backend_store.write_pack(9, b"new", "new")  # the same revision, rewritten in this format
    assert backend_store.read_pack("new") == (9, b"new")
    assert backend_store.read_pack("old") is None
    assert backend_store.load_documents() == []  # packs are not in the directory's partition


def test_the_marker_names_the_municipalities_its_revision_wrote(backend_store: DirectoryStore) -> None:
    assert backend_store.marker() == (0, None)
    backend_store.bump_revision(["05566", "05111", "05566"])
    assert backend_store.marker() == (1, ("05111", "05566"))
    backend_store.bump_revision()  # not recorded: containers read the log or reload
    assert backend_store.marker() == (2, None)


def test_after_an_erasure_only_a_pack_made_since_is_taken(backend_store: DirectoryStore) -> None:
    assert backend_store.write_pack(5, b"before", "f1")
    backend_store.drop_packs(erased_at=7)
    assert backend_store.read_pack("f1") is None
    assert not backend_store.write_pack(6, b"read before the erasure", "f1")
    assert backend_store.read_pack("f1") is None
    assert backend_store.write_pack(7, b"after", "f1")
    backend_store.bump_revision(["05566"])
    assert backend_store.marker_and_pack("f1") == ((1, ("05566",)), (7, b"after"))
    backend_store.drop_packs(erased_at=6)  # an older erasure recorded late still drops the pack
    assert backend_store.read_pack("f1") is None
    assert not backend_store.write_pack(7, b"again", "f1")  # the erasure at 7 is still the bar
    assert backend_store.write_pack(8, b"newer", "f1")
    assert backend_store.read_pack("f1") == (8, b"newer")
