"""A snapshot loaded from a pack answers exactly as one built from the documents (pure)."""

from __future__ import annotations

import pickle
import struct
import zlib
from collections.abc import Sequence

import pytest

from chalicelib.domain import packs
from chalicelib.domain.catchup import LogEntry, catch_up
from chalicelib.domain.directory import Directory
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.errors import StoreUnavailable
from chalicelib.domain.links import Links
from chalicelib.domain.shelf import ShelfWriter
from chalicelib.domain.snapshot import Snapshot
from tests.support.change_table import Table
from tests.support.snapshot_state import state_of


@pytest.mark.parametrize("seed", range(8))
def test_a_packed_snapshot_answers_as_one_built_from_the_documents(seed: int) -> None:
    table = Table(seed)
    for _ in range(30):
        table.write_random()
    built = table.full()
    # A snapshot that caught up (layered maps with changes on top) packs just as well.
    for _ in range(10):
        table.write_random()
    caught_up = catch_up(built, table.revision, table)
    assert caught_up is not None
    caught_up.municipalities[0].body  # noqa: B018 - rendered bodies are not packed, but re-rendered
    links = Links(f"https://{seed}.example.org/api")  # the loading container's own base URL
    loaded = packs.decode(packs.encode(caught_up), links)
    assert loaded is not None
    assert state_of(loaded) == state_of(Snapshot.build(table.revision, list(table.documents.values()), links))
    # It goes on catching up like any snapshot.
    for _ in range(5):
        table.write_random()
    followed = catch_up(loaded, table.revision, table)
    assert followed is not None
    assert state_of(followed) == state_of(
        Snapshot.build(table.revision, list(table.documents.values()), links)
    )


def test_a_pack_of_another_version_is_ignored() -> None:
    table = Table(1)
    for _ in range(10):
        table.write_random()
    data = packs.encode(table.full())
    header = data[: data.index(b"\n") + 1]
    other = header.replace(packs.fingerprint().encode(), b"0" * 32)
    assert packs.decode(other + data[len(header) :], Links("")) is None
    assert packs.decode(data, Links("")) is not None


def test_the_version_follows_the_code_of_the_packed_classes(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.domain import facets

    before = packs.fingerprint()
    packs.fingerprint.cache_clear()
    monkeypatch.setattr(facets.Facets, "extra", lambda self: 1, raising=False)  # a changed class
    try:
        assert packs.fingerprint() != before
    finally:
        monkeypatch.undo()
        packs.fingerprint.cache_clear()
    assert packs.fingerprint() == before


@pytest.mark.parametrize("payload", [b"not zlib", zlib.compress(pickle.dumps([1, 2]))])
def test_an_unreadable_pack_is_ignored(payload: bytes) -> None:
    assert packs.decode(packs._header() + payload, Links("")) is None


def test_a_pack_naming_any_other_class_is_refused() -> None:
    class Boom:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            import os

            return os.system, ("echo should-never-run",)

    assert packs.decode(_laid_out(pickle.dumps(Boom())), Links("")) is None
    assert packs.decode(_laid_out(pickle.dumps({1, 2})), Links("")) is None  # readable, not a snapshot


def _laid_out(pickled: bytes) -> bytes:
    """A pack of this pickle in the pack's layout (header, length, snapshot, an empty shelf)."""
    packed = zlib.compress(pickled)
    return packs._header() + struct.pack("<Q", len(packed)) + packed + ShelfWriter().pack()


def test_a_pack_loads_no_document_and_no_office_or_contact_until_asked() -> None:
    table = Table(3)
    for _ in range(40):
        table.write_random()
    built = table.full()
    loaded = packs.decode(packs.encode(built), Links(""))
    assert loaded is not None
    living = [part for part in loaded.parts.values() if part.entry is not None]
    assert living and all(part._by_id is None for part in living)
    assert all("_doc_text" in part.entry.__dict__ for part in living if part.entry is not None)
    asked = living[len(living) // 2]
    assert asked.entry is not None
    for office in asked.offices:
        assert loaded.office(office.id).body.text == built.office(office.id).body.text
    untouched = [part for part in living if part is not asked]
    assert all(part._by_id is None and "_doc" not in vars(part.entry) for part in untouched if part.entry)
    # The feed's changes are made when first read, and are the built snapshot's.
    assert loaded.feed._changes is None and all(part.changes is None for part in loaded.parts.values())
    assert list(loaded.feed.changes) == list(built.feed.changes) and loaded.feed.changes


def test_a_packed_feed_naming_a_class_is_refused() -> None:
    from chalicelib.domain.changes import Change, Feed

    feed = Feed([], 3)
    feed._changes, feed._packed = None, pickle.dumps([Change(1, "office", "o", "05566", "created", None)])
    with pytest.raises(pickle.UnpicklingError, match="names a class"):
        feed.changes  # noqa: B018 - reading it is what is refused


class PackingTable:
    """The catch-up stand-in (tests/support/change_table.Table) with a pack slot, as the store keeps one."""

    def __init__(self, seed: int) -> None:
        self.table = Table(seed)
        self.pack: tuple[int, bytes, str] | None = None
        self.down = False

    def revision(self) -> int:
        return self.marker()[0]

    def marker(self) -> tuple[int, tuple[str, ...] | None]:
        if self.down:
            raise StoreUnavailable("DynamoDB GetItem failed")
        return self.table.marker()

    def change_log(self, after: int, upto: int) -> list[LogEntry]:
        return self.table.change_log(after, upto)

    def get_documents(self, municipality_ids: Sequence[str]) -> list[StoredDocument]:
        return self.table.get_documents(municipality_ids)

    def load_documents(self) -> list[StoredDocument]:
        return list(self.table.documents.values())

    def marker_and_pack(
        self, pack_format: str
    ) -> tuple[tuple[int, tuple[str, ...] | None], tuple[int, bytes] | None]:
        found = self.pack if self.pack and self.pack[2] == pack_format else None
        return self.marker(), (found[0], found[1]) if found else None

    def packed(self) -> tuple[int, bytes, str] | None:
        return self.pack

    def write_pack(self, revision: int, data: bytes, pack_format: str) -> bool:
        self.pack = (revision, data, pack_format)
        return True


def test_repack_packs_the_snapshot_brought_up_to_the_marker_and_never_a_stale_one() -> None:
    table = PackingTable(5)
    for _ in range(10):
        table.table.write_random()
    directory = Directory(table, Links(""), refresh_seconds=3600)
    directory.current()  # a full load (no pack yet), which packs it
    assert table.pack is not None and table.pack[0] == table.revision()
    table.table.write_random()
    table.pack = None  # an erasure dropped it
    directory.repack()
    pack = table.packed()
    assert pack is not None and pack[0] == table.revision()  # caught up, then packed
    packed = packs.decode(pack[1], Links(""))
    assert packed is not None
    assert state_of(packed) == state_of(Snapshot.build(table.revision(), table.load_documents(), Links("")))
    table.table.write_random()
    table.pack = None
    table.down = True  # the marker cannot be read: the snapshot served is stale
    directory.repack()
    assert table.packed() is None
