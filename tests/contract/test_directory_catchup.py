"""Catch-up over the wire (moto): after any sequence of writes, the same snapshot as a full load."""

from __future__ import annotations

import random

import pytest

from chalicelib.domain.directory import Directory
from chalicelib.domain.links import Links
from chalicelib.write import importer
from chalicelib.write.writer import DirectoryWriter
from tests.support.emulators import make_store
from tests.support.snapshot_state import state_of
from tests.support.synthetic import Synthetic


def test_random_writes_and_deletes_caught_up_equal_a_full_load(moto_endpoint: str) -> None:
    store = make_store(moto_endpoint)
    try:
        writer = DirectoryWriter(store)
        importer.load(writer)
        rng = random.Random(20261125)
        synthetic = Synthetic(seed=20261125)
        following = Directory(store, Links(""), refresh_seconds=0)
        following.current()
        for step in range(30):
            living = [entry.id for entry in following.current(check=False).snapshot.municipalities]
            roll = rng.random()
            if roll < 0.4:
                writer.create(synthetic.model(contacts=rng.randint(0, 3)))
            elif roll < 0.8:
                municipality_id = rng.choice(living)
                version = store.get_document(municipality_id).version
                record = synthetic.model(id=municipality_id, contacts=rng.randint(0, 3))
                if municipality_id.startswith("05999"):
                    writer.replace(record, version)
                else:
                    writer.delete(municipality_id)
            else:
                writer.delete(rng.choice(living))
            if step % 3 == 2:
                writer.import_all([synthetic.model(), synthetic.model()])  # two at one revision
            caught_up = following.current().snapshot
            fresh = Directory(store, Links(""), refresh_seconds=0).current().snapshot
            assert state_of(caught_up) == state_of(fresh)
        # the first load is the pack the import left; every later one a catch-up
        assert (following.pack_loads, following.full_loads) == (1, 0) and following.catch_ups >= 30
    finally:
        store.delete_table()


def test_a_container_converges_after_a_writer_died_before_logging(moto_endpoint: str) -> None:
    store = make_store(moto_endpoint)
    try:
        writer = DirectoryWriter(store)
        importer.load(writer)
        following = Directory(store, Links(""), refresh_seconds=0)
        following.current()
        synthetic = Synthetic(seed=8)
        writer.create(synthetic.model())
        # The next write's log entry is lost: the follower must still see it.
        lost = synthetic.model()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(store, "log_change", lambda revision, ids: None)
            writer.create(lost)
        writer.create(synthetic.model())
        snapshot = following.current().snapshot
        assert lost.id in snapshot.by_id
        fresh = Directory(store, Links(""), refresh_seconds=0).current().snapshot
        assert state_of(snapshot) == state_of(fresh)
        assert (following.pack_loads, following.full_loads) == (1, 1)  # the pack, then the gap
    finally:
        store.delete_table()


def test_a_dead_writers_pending_change_is_settled_by_a_catching_up_reader(moto_endpoint: str) -> None:
    from datetime import UTC, datetime, timedelta

    from chalicelib.write.editor import Editor
    from chalicelib.write.protocol import WriteProtocol
    from chalicelib.write.reference import load_reference
    from chalicelib.write.settling import Settling

    store = make_store(moto_endpoint)
    try:
        writer = DirectoryWriter(store)
        importer.load(writer)
        protocol = WriteProtocol(store)
        version, doc = protocol.load("05566")
        assert doc is not None
        changed = {**doc, "website": "https://www.kreis-steinfurt.de/gemeinsam"}
        changed["revision"] = None
        long_ago = (datetime.now(UTC) - timedelta(minutes=5)).isoformat(timespec="milliseconds")
        protocol.put_pending("05566", version, changed, doc, long_ago, protocol.marker())  # and then it died
        # A pack made before the dead write cannot know of it (the marker never moved): it is
        # settled by the next full load — here a cold start without a pack; with one, the
        # safety net's full reload (design.md, "Writes").
        store.drop_packs(erased_at=store.revision())

        reference = load_reference(importer.DEFAULT_REFERENCE)
        editor = Editor(store, lambda: reference, lambda entry_id: None)
        follower = Settling(Directory(store, Links(""), refresh_seconds=0), editor.settle_if_abandoned)
        first = follower.current().snapshot  # the cold load settled it already, or the next check will
        settled = follower.current().snapshot
        assert settled.pending == {}
        assert settled.revision > first.revision or first.pending == {}
        assert settled.feed.complete_to == settled.revision
        assert settled.by_id["05566"].detail["website"] == "https://www.kreis-steinfurt.de/gemeinsam"
        fresh = Directory(store, Links(""), refresh_seconds=0).current().snapshot
        assert state_of(settled) == state_of(fresh)
    finally:
        store.delete_table()
