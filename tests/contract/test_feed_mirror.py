"""A mirror that follows /changes ends with exactly the public directory (issue 16 item 9).

Random sequences of create / publish / unpublish / edit / delete (contacts, offices, the
municipality) run through the real write path on a moto table; a mirror syncs at random
points, applying each feed page as a mirror would (deleted → drop, created/updated →
copy). Whatever happened between two syncs — a contact withdrawn and then deleted, say —
the mirror must end with exactly what a public read shows, from any sync point.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib import bootstrap
from chalicelib.domain.directory import Directory
from chalicelib.domain.edits import Preconditions
from chalicelib.domain.errors import NotFound
from chalicelib.domain.links import Links
from chalicelib.domain.principal import Principal
from chalicelib.storage.store import DirectoryStore
from chalicelib.write.editor import Editor
from chalicelib.write.reference import load_reference
from chalicelib.write.writer import DirectoryWriter
from tests.support.emulators import make_store
from tests.support.synthetic import Synthetic

ADMIN = Principal("t-mirror", "mirror test", "admin")
ANY = Preconditions("*")
Key = tuple[str, str]  # (kind, id)

OPERATIONS = st.sampled_from(
    [
        "add_contact",
        "publish",
        "unpublish",
        "edit",
        "delete_contact",
        "add_office",
        "delete_office",
        "delete_municipality",
    ]
)
# Few targets, so one entry often meets several operations between two syncs.
STEP = st.tuples(OPERATIONS, st.integers(0, 2), st.booleans(), st.booleans())


def _public_now(store: DirectoryStore) -> set[Key]:
    """What a public read shows, straight from the stored documents (not from the feed)."""
    shown: set[Key] = set()
    for stored in store.load_documents():
        doc = json.loads(stored.document)
        if doc.get("deleted"):
            continue
        shown.add(("municipality", doc["id"]))
        for office in doc.get("offices", []):
            shown.add(("office", office["id"]))
            shown |= {("contact", c["id"]) for c in office.get("contacts", []) if c.get("public") is True}
    return shown


class Mirror:
    """A copy of the public directory kept current through /changes, page by page."""

    def __init__(self, entries: set[Key], since: int) -> None:
        self.entries, self.since = set(entries), since

    def sync(self, directory: Directory) -> None:
        feed = directory.current().snapshot.feed
        after = None
        while True:
            changes, more = feed.since(self.since, after, 3)  # small pages: cursors are exercised
            for change in changes:
                key = (change.kind, change.id)
                if change.operation == "deleted":
                    self.entries.discard(key)
                else:
                    self.entries.add(key)
            if not more:
                break
            last = changes[-1]
            after = (last.revision, last.kind, last.id)
        self.since = feed.complete_to


class World:
    """One synthetic municipality on a fresh table, and the ids of what lives in it."""

    def __init__(self, store: DirectoryStore) -> None:
        synthetic = Synthetic(seed=16)
        municipality = synthetic.model(contacts=3)
        DirectoryWriter(store).create(municipality)
        self.municipality_id = municipality.id
        self.owners: dict[str, str] = {o.id: municipality.id for o in municipality.offices}
        self.owners |= {c.id: municipality.id for o in municipality.offices for c in o.contacts}
        self.synthetic = synthetic
        reference = load_reference(bootstrap.REFERENCE)
        self.editor = Editor(store, lambda: reference, self.owners.get)
        self.store = store

    def _doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(self.store.get_document(self.municipality_id).document)
        return doc

    def _pick(self, kind: str, n: int) -> str | None:
        doc = self._doc()
        if doc.get("deleted"):
            return None
        offices = doc.get("offices", [])
        ids = (
            [o["id"] for o in offices]
            if kind == "office"
            else [c["id"] for o in offices for c in o.get("contacts", [])]
        )
        return ids[n % len(ids)] if ids else None

    def apply(self, operation: str, n: int, public: bool, flag: bool) -> None:
        editor = self.editor
        try:
            if operation in ("add_contact", "delete_office", "add_office", "delete_municipality"):
                office_id = self._pick("office", n)
                if operation == "add_office":
                    if self._doc().get("deleted"):
                        return
                    written = editor.add_office(ADMIN, self.municipality_id, {"name": f"Stelle {n}"}, ANY)
                    self.owners[written.id] = self.municipality_id
                elif operation == "delete_municipality":
                    if flag and n % 4 == 0:  # rarely: it ends every other step
                        editor.delete_municipality(ADMIN, self.municipality_id, ANY)
                elif office_id is None:
                    return
                elif operation == "add_contact":
                    body = self.synthetic.contact(public=public)
                    del body["id"]
                    written = editor.add_contact(ADMIN, office_id, body, ANY)
                    self.owners[written.id] = self.municipality_id
                else:
                    editor.delete_office(ADMIN, office_id, ANY)
                return
            contact_id = self._pick("contact", n)
            if contact_id is None:
                return
            if operation == "publish":
                editor.patch_contact(ADMIN, contact_id, {"public": True}, ANY)
            elif operation == "unpublish":
                editor.patch_contact(ADMIN, contact_id, {"public": False}, ANY)
            elif operation == "edit":
                editor.patch_contact(ADMIN, contact_id, {"function": f"Funktion {n}"}, ANY)
            else:
                editor.delete_contact(ADMIN, contact_id, ANY)
        except NotFound:
            return  # the municipality is gone: nothing to do


@pytest.fixture
def fresh_store(moto_endpoint: str) -> Iterator[Any]:
    made: list[DirectoryStore] = []

    def make() -> DirectoryStore:
        store = make_store(moto_endpoint)
        made.append(store)
        return store

    yield make
    for store in made:
        store.delete_table()


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=10))
def test_a_mirror_from_any_sync_point_ends_with_exactly_the_public_directory(
    fresh_store: Any, steps: list[tuple[str, int, bool, bool]]
) -> None:
    store = fresh_store()
    world = World(store)
    directory = Directory(store, Links(""), refresh_seconds=0)
    # A mirror that took a full copy at each point (and then stopped syncing)...
    copies = [Mirror(_public_now(store), directory.current().snapshot.feed.complete_to)]
    # ...and one that started empty and syncs now and then.
    following = Mirror(set(), 0)
    for operation, n, public, sync in steps:
        world.apply(operation, n, public, sync)
        if sync:
            following.sync(directory)
        copies.append(Mirror(_public_now(store), directory.current().snapshot.feed.complete_to))
    public_now = _public_now(store)
    for mirror in [following, *copies]:
        mirror.sync(directory)
        assert mirror.entries == public_now


def test_a_contact_withdrawn_then_deleted_reaches_a_mirror_as_deleted(fresh_store: Any) -> None:
    """The issue's example, spelled out: unpublish, then delete, between two syncs."""
    store = fresh_store()
    world = World(store)
    directory = Directory(store, Links(""), refresh_seconds=0)
    contact_id = world._pick("contact", 0)
    assert contact_id is not None
    mirror = Mirror(_public_now(store), directory.current().snapshot.feed.complete_to)
    assert ("contact", contact_id) in mirror.entries
    world.editor.patch_contact(ADMIN, contact_id, {"public": False}, ANY)
    world.editor.delete_contact(ADMIN, contact_id, ANY)
    mirror.sync(directory)
    assert ("contact", contact_id) not in mirror.entries


def test_an_office_deleted_after_its_contact_was_withdrawn_reaches_a_mirror(fresh_store: Any) -> None:
    store = fresh_store()
    world = World(store)
    directory = Directory(store, Links(""), refresh_seconds=0)
    contact_id, office_id = world._pick("contact", 0), world._pick("office", 0)
    assert contact_id is not None and office_id is not None
    mirror = Mirror(_public_now(store), directory.current().snapshot.feed.complete_to)
    world.editor.patch_contact(ADMIN, contact_id, {"public": False}, ANY)
    world.editor.delete_office(ADMIN, office_id, ANY)
    mirror.sync(directory)
    assert mirror.entries == _public_now(store)
    assert ("contact", contact_id) not in mirror.entries
