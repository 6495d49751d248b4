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
from chalicelib.domain.directory import Directory
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.edits import Preconditions
from chalicelib.domain.entries import entry_etag
from chalicelib.domain.errors import PreconditionFailed, StaleVersion, TooManyConflicts
from chalicelib.domain.links import Links
from chalicelib.domain.principal import Principal
from chalicelib.domain.snapshot import Snapshot
from chalicelib.storage.store import PACK_CHUNK, DirectoryStore
from chalicelib.write.editor import SETTLE_AFTER, Editor
from chalicelib.write.reference import load_reference
from chalicelib.write.settling import Settling
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


def test_thirty_two_concurrent_writers_to_one_municipality_get_no_5xx(
    backend_store: DirectoryStore,
) -> None:
    """Writes from a current ETag all land (distinct entries) or are 412 (stale): never a 503."""
    municipality_id, owners, contact_ids = _seeded(backend_store, 27)
    editor = _editor(backend_store, owners)
    etags = {cid: entry_etag("contact", _contact(backend_store, municipality_id, cid)) for cid in contact_ids}
    contested, distinct = contact_ids[0], contact_ids[1:]
    jobs = [(cid, f"Funktion {cid}") for cid in distinct] + [(contested, f"Version {n}") for n in range(6)]
    assert len(jobs) == 32
    start = threading.Barrier(len(jobs))
    outcome: dict[int, str] = {}

    def write(n: int, contact_id: str, function: str) -> None:
        start.wait()
        try:
            editor.patch_contact(ADMIN, contact_id, {"function": function}, Preconditions(etags[contact_id]))
            outcome[n] = "ok"
        except PreconditionFailed:
            outcome[n] = "412"
        except Exception as error:  # any other outcome is the failure counted
            outcome[n] = type(error).__name__

    threads = [threading.Thread(target=write, args=(n, *job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    failures = {n: result for n, result in outcome.items() if result not in ("ok", "412")}
    assert failures == {}
    for n, (contact_id, function) in enumerate(jobs[: len(distinct)]):
        assert outcome[n] == "ok", contact_id
        assert _contact(backend_store, municipality_id, contact_id)["function"] == function
    contested_outcomes = [outcome[n] for n in range(len(distinct), len(jobs))]
    assert sorted(contested_outcomes) == ["412"] * 5 + ["ok"]


def test_thirty_two_writers_writing_on_and_on_are_never_refused(backend_store: DirectoryStore) -> None:
    """Sustained load: 32 writers, each writing its own contact again and again from the ETag
    its last write returned. Newcomers keep winning races; none of them may starve a writer
    into a 503."""
    municipality_id, owners, contact_ids = _seeded(backend_store, 32)
    editor = _editor(backend_store, owners)
    rounds = 6
    start = threading.Barrier(len(contact_ids))
    failures: list[str] = []
    landed: dict[str, str] = {}

    def write_on(contact_id: str) -> None:
        etag = entry_etag("contact", _contact(backend_store, municipality_id, contact_id))
        start.wait()
        for n in range(rounds):
            function = f"Runde {n} {contact_id[-6:]}"
            try:
                written = editor.patch_contact(ADMIN, contact_id, {"function": function}, Preconditions(etag))
            except Exception as error:  # any refusal is the failure counted
                failures.append(type(error).__name__)
                return
            assert written.etag is not None
            etag, landed[contact_id] = written.etag, function

    threads = [threading.Thread(target=write_on, args=(cid,)) for cid in contact_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert failures == []
    for contact_id in contact_ids:
        assert _contact(backend_store, municipality_id, contact_id)["function"] == landed[contact_id]


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

    def container() -> Settling:
        # A reader as bootstrap.reading() is one: the Directory, then the settling step.
        directory = Directory(backend_store, Links(""), refresh_seconds=0)
        return Settling(directory, reader_editor.settle_if_abandoned)

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


class EraseDuringLoad(DirectoryStore):
    """A store whose full load is overtaken by an erasure: it runs right after the documents
    were read, before the load packs them (the interleaving forced, not hoped for)."""

    def __init__(self, store: DirectoryStore, erase: Any) -> None:
        super().__init__(store._client, store.table_name)
        self.erase = erase

    def load_documents(self, page_size: int | None = None) -> list[StoredDocument]:
        documents = super().load_documents(page_size)
        erase, self.erase = self.erase, None
        if erase is not None:
            erase()
        return documents


def _pack_items(store: DirectoryStore) -> list[dict[str, Any]]:
    """Every pack chunk item (compressed: a person in them is not visible as text)."""
    items: list[dict[str, Any]] = store._client.query(
        TableName=store.table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "PACK"}},
        ConsistentRead=True,
    )["Items"]
    return items


def test_a_full_load_overtaken_by_an_erasure_packs_nothing(backend_store: DirectoryStore) -> None:
    municipality_id, owners, contact_ids = _seeded(backend_store, 2)
    person = _contact(backend_store, municipality_id, contact_ids[0])
    editor = _editor(backend_store, owners)

    def erase() -> None:
        editor.delete_contact(ADMIN, contact_ids[0], Preconditions("*"))

    racing = EraseDuringLoad(backend_store, erase)
    # A cold container: no pack yet, so it loads in full and then packs what it read.
    stale = Directory(racing, Links(""), refresh_seconds=0).current().snapshot
    assert stale.revision < backend_store.revision()  # it did read before the erasure
    assert backend_store.read_pack(FORMAT) is None  # its pack was refused...
    assert _pack_items(backend_store) == []  # ...and none of its chunks are left
    # A load after the erasure packs again, without the person.
    fresh = Directory(backend_store, Links(""), refresh_seconds=0).current().snapshot
    packed = backend_store.read_pack(FORMAT)
    assert packed is not None and packed[0] == fresh.revision
    assert person["family_name"] not in pack_text(packed[1])


def test_a_pack_older_than_the_last_erasure_is_refused_and_leaves_no_chunks(
    backend_store: DirectoryStore,
) -> None:
    _, owners, contact_ids = _seeded(backend_store, 3)
    before = backend_store.revision()
    documents = backend_store.load_documents()  # read before the erasure
    _editor(backend_store, owners).delete_contact(ADMIN, contact_ids[0], Preconditions("*"))
    erased_at = backend_store.revision()
    assert not _pack(backend_store, before, documents, chunk_bytes=500)  # several chunks
    assert backend_store.read_pack(FORMAT) is None
    assert _pack_items(backend_store) == []
    assert _pack(backend_store, erased_at, backend_store.load_documents(), chunk_bytes=500)
    assert backend_store.read_pack(FORMAT) is not None


class LosingStore(DirectoryStore):
    """A store where another writer wins the first `losses` item writes of a change."""

    def __init__(self, store: DirectoryStore, losses: int) -> None:
        super().__init__(store._client, store.table_name)
        self.losses = losses

    def put_document(self, doc: StoredDocument, *, expected_version: int | None) -> None:
        if self.losses > 0 and '"pending"' in doc.document:
            self.losses -= 1
            raise StaleVersion("another writer came first", {})
        super().put_document(doc, expected_version=expected_version)


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


@pytest.mark.parametrize("losses", [70, 10**6])
def test_lost_races_are_retried_for_a_time_budget_not_a_count(moto_endpoint: str, losses: int) -> None:
    from tests.support.emulators import make_store

    store = make_store(moto_endpoint)
    municipality_id, owners, contact_ids = _seeded(store, 1)
    reference = load_reference(bootstrap.REFERENCE)
    time = FakeTime()
    losing = LosingStore(store, losses)
    editor = Editor(losing, lambda: reference, owners.get, sleep=time.sleep, monotonic=time.monotonic)
    editor.BACKOFF_MAX = 0.05  # worst case 70 pauses: 3.5 s, inside the budget

    def write() -> None:
        editor.patch_contact(ADMIN, contact_ids[0], {"function": "Trotz allem"}, Preconditions("*"))

    if losses == 70:  # more lost races than the old fixed 60 attempts allowed
        write()
        assert _contact(store, municipality_id, contact_ids[0])["function"] == "Trotz allem"
    else:  # a rival that never stops: refused once the budget is spent, not before
        with pytest.raises(TooManyConflicts):
            write()
        assert Editor.RETRY_SECONDS - 0.05 <= time.now <= Editor.RETRY_SECONDS
    store.delete_table()


def _pack(
    store: DirectoryStore,
    revision: int | None = None,
    documents: list[StoredDocument] | None = None,
    chunk_bytes: int = PACK_CHUNK,
) -> bool:
    """Pack the snapshot of `documents` (default: as stored now) as the pack of `revision`."""
    revision = store.revision() if revision is None else revision
    documents = store.load_documents() if documents is None else documents
    built = Snapshot.build(revision, documents, Links(""))
    return store.write_pack(built.revision, packs.encode(built), FORMAT, chunk_bytes=chunk_bytes)
