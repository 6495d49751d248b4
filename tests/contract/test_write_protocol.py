"""The write protocol on moto and dynalite: concurrent writers, and writers that die midway."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.domain import packs
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.edits import Preconditions
from chalicelib.domain.entries import entry_etag
from chalicelib.domain.errors import PreconditionFailed
from chalicelib.domain.freshness import Directory
from chalicelib.domain.links import Links
from chalicelib.domain.principal import Principal
from chalicelib.domain.snapshot import Snapshot
from chalicelib.storage.store import DirectoryStore
from chalicelib.write.editor import SETTLE_AFTER, Editor
from chalicelib.write.reference import load_reference
from chalicelib.write.writer import DirectoryWriter
from tests.support.packs import FORMAT, pack_text
from tests.support.synthetic import Synthetic

ADMIN = Principal("t-race", "race test", "admin")


def _editor(store: DirectoryStore, owners: dict[str, str], clock: Any = None) -> Editor:
    reference = load_reference(bootstrap.REFERENCE)
    if clock is None:
        return Editor(store, lambda: reference, owners.get)
    return Editor(store, lambda: reference, owners.get, clock=clock)


def _seeded(store: DirectoryStore, contacts: int) -> tuple[str, dict[str, str], list[str]]:
    municipality = Synthetic(seed=contacts).model(contacts=contacts)
    DirectoryWriter(store).create(municipality)
    owners = {o.id: municipality.id for o in municipality.offices}
    owners |= {c.id: municipality.id for o in municipality.offices for c in o.contacts}
    contact_ids = [c.id for o in municipality.offices for c in o.contacts]
    return municipality.id, owners, contact_ids


def _contact(store: DirectoryStore, municipality_id: str, contact_id: str) -> dict[str, Any]:
    doc = json.loads(store.get_document(municipality_id).document)
    return next(c for o in doc["offices"] for c in o["contacts"] if c["id"] == contact_id)


def test_twenty_concurrent_writers_lose_nothing_and_only_stale_ones_fail(
    backend_store: DirectoryStore,
) -> None:
    municipality_id, owners, contact_ids = _seeded(backend_store, 13)
    editor = _editor(backend_store, owners)
    etags = {cid: entry_etag("contact", _contact(backend_store, municipality_id, cid)) for cid in contact_ids}
    contested, distinct = contact_ids[0], contact_ids[1:]
    # 12 writers edit 12 different contacts; 8 edit the same one from the same ETag.
    jobs = [(cid, f"Funktion {cid}") for cid in distinct] + [(contested, f"Version {n}") for n in range(8)]
    assert len(jobs) == 20
    start = threading.Barrier(len(jobs))
    outcome: dict[int, str] = {}

    def write(n: int, contact_id: str, function: str) -> None:
        start.wait()
        try:
            editor.patch_contact(ADMIN, contact_id, {"function": function}, Preconditions(etags[contact_id]))
            outcome[n] = "ok"
        except PreconditionFailed:
            outcome[n] = "412"

    threads = [threading.Thread(target=write, args=(n, *job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for n, (contact_id, function) in enumerate(jobs[:12]):
        assert outcome[n] == "ok", contact_id
        assert _contact(backend_store, municipality_id, contact_id)["function"] == function
    contested_outcomes = [outcome[n] for n in range(12, 20)]
    assert contested_outcomes.count("ok") == 1
    assert contested_outcomes.count("412") == 7
    winner = jobs[12 + contested_outcomes.index("ok")][1]
    assert _contact(backend_store, municipality_id, contested)["function"] == winner


class WriterDied(Exception):
    pass


class DyingStore(DirectoryStore):
    """A store whose writer process dies at one step of the protocol."""

    def __init__(self, store: DirectoryStore, dies_at: str) -> None:
        super().__init__(store._client, store.table_name)
        self.dies_at = dies_at
        self.puts = 0

    def bump_revision(self, municipality_ids: Sequence[str] | None = None) -> int:
        if self.dies_at == "bump":
            raise WriterDied
        return super().bump_revision(municipality_ids)

    def put_document(self, doc: StoredDocument, *, expected_version: int | None) -> None:
        self.puts += 1
        if self.dies_at == "stamp" and self.puts == 2:
            raise WriterDied
        super().put_document(doc, expected_version=expected_version)


@pytest.mark.parametrize("dies_at", ["bump", "stamp"])
def test_a_writer_dying_midway_delays_its_change_but_never_loses_it(
    backend_store: DirectoryStore, dies_at: str
) -> None:
    municipality_id, owners, contact_ids = _seeded(backend_store, 2)
    later = [datetime.now(UTC)]
    reader_editor = _editor(backend_store, owners, clock=lambda: later[0])

    def container() -> Directory:
        return Directory(
            backend_store,
            Links(""),
            refresh_seconds=0,
            settle=lambda snapshot: any(reader_editor.settle_if_abandoned(m) for m in snapshot.pending),
        )

    warm = container()
    before = warm.current().snapshot.feed.complete_to
    dying = _editor(DyingStore(backend_store, dies_at), owners)
    with pytest.raises(WriterDied):
        dying.patch_contact(ADMIN, contact_ids[0], {"function": "Neue Funktion"}, Preconditions("*"))

    if dies_at == "bump":
        # Nothing announced this write. A later revision that names no municipality (a
        # gap in the change log) makes containers read every item, as the hourly safety
        # net does: until then the change is delayed, not lost.
        backend_store.bump_revision()

    # A container loading now serves the content; its feed stops short of the change.
    cold = container()
    snapshot = cold.current().snapshot
    assert snapshot.contacts[contact_ids[0]].view["function"] == "Neue Funktion"
    assert municipality_id in snapshot.pending
    assert [c for c in snapshot.feed.changes if c.id == contact_ids[0] and c.revision > before] == []
    assert snapshot.feed.complete_to <= before

    # Past the grace period its next check settles the change, at a revision above
    # anything the feed had promised; every container converges on it.
    later[0] = datetime.now(UTC) + SETTLE_AFTER + timedelta(seconds=1)
    for directory in (cold, warm):
        settled = directory.current().snapshot
        assert not settled.pending
        assert settled.contacts[contact_ids[0]].view["function"] == "Neue Funktion"
        found = [c for c in settled.feed.changes if c.id == contact_ids[0]]
        assert len(found) == 1
        assert found[0].revision > before
        assert settled.feed.complete_to >= found[0].revision


def test_a_newer_write_carries_and_stamps_an_abandoned_change(backend_store: DirectoryStore) -> None:
    municipality_id, owners, contact_ids = _seeded(backend_store, 2)
    dying = _editor(DyingStore(backend_store, "bump"), owners)
    with pytest.raises(WriterDied):
        dying.patch_contact(ADMIN, contact_ids[0], {"function": "Verwaist"}, Preconditions("*"))
    _editor(backend_store, owners).patch_contact(
        ADMIN, contact_ids[1], {"function": "Danach"}, Preconditions("*")
    )
    first = _contact(backend_store, municipality_id, contact_ids[0])
    second = _contact(backend_store, municipality_id, contact_ids[1])
    assert first["function"] == "Verwaist"
    assert isinstance(first["revision"], int)
    assert first["revision"] == second["revision"]


def test_an_erasure_drops_the_packs_that_still_hold_the_person(backend_store: DirectoryStore) -> None:
    municipality_id, owners, contact_ids = _seeded(backend_store, 2)
    person = _contact(backend_store, municipality_id, contact_ids[0])
    assert _pack(backend_store)
    packed = backend_store.read_pack(FORMAT)
    assert packed is not None and person["family_name"] in pack_text(packed[1])
    editor = _editor(backend_store, owners)
    editor.patch_contact(ADMIN, contact_ids[1], {"function": "Nur geändert"}, Preconditions("*"))
    assert backend_store.read_pack(FORMAT) is not None  # an ordinary edit leaves the pack to catch up
    editor.delete_contact(ADMIN, contact_ids[0], Preconditions("*"))
    assert backend_store.read_pack(FORMAT) is None
    # and a new pack replaces the chunks of older ones, which still held the person
    assert _pack(backend_store)
    newest = backend_store.read_pack(FORMAT)
    assert newest is not None
    assert person["family_name"] not in pack_text(newest[1])


def _pack(store: DirectoryStore) -> bool:
    built = Snapshot.build(store.revision(), store.load_documents(), Links(""))
    return store.write_pack(built.revision, packs.encode(built), FORMAT)
