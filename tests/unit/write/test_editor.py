"""The editor's add, patch and delete paths over the in-memory store (no emulator).

The store is tests/support/memory_store.py, which passes the store's contract suite on
moto and dynalite's terms (tests/contract/test_store.py): its conditional writes fail where
DynamoDB's do, so the lost races forced here are the races the editor meets there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.edits import Preconditions
from chalicelib.domain.entries import entry_etag
from chalicelib.domain.errors import InvalidRecord, NotFound, PreconditionFailed
from chalicelib.domain.principal import Principal
from chalicelib.write.editor import Editor
from chalicelib.write.reference import load_reference
from chalicelib.write.writer import DirectoryWriter
from tests.support.memory_store import MemoryStore
from tests.support.synthetic import Synthetic

ADMIN = Principal("t-unit", "unit test", "admin")
ANY = Preconditions("*")
REFERENCE = load_reference(bootstrap.REFERENCE)


class Seeded:
    """One synthetic municipality in a fresh in-memory store, and an editor over it."""

    def __init__(self, store: MemoryStore | None = None) -> None:
        self.store = store or MemoryStore()
        municipality = Synthetic(seed=7).model(contacts=3)
        DirectoryWriter(self.store.as_store()).create(municipality)
        self.id = municipality.id
        self.owners = {o.id: municipality.id for o in municipality.offices}
        self.owners |= {c.id: municipality.id for o in municipality.offices for c in o.contacts}
        self.office_id = municipality.offices[0].id
        self.contact_ids = [c.id for o in municipality.offices for c in o.contacts]
        self.editor = Editor(self.store.as_store(), lambda: REFERENCE, self.owners.get)

    def doc(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.store.get_document(self.id).document)
        return loaded

    def contact(self, contact_id: str) -> dict[str, Any]:
        return next(c for o in self.doc()["offices"] for c in o["contacts"] if c["id"] == contact_id)


def test_an_added_office_and_contact_land_with_new_ids_at_the_writes_revision() -> None:
    seeded = Seeded()
    office = seeded.editor.add_office(
        ADMIN, seeded.id, {"name": "Neue Stelle", "contacts": [{"given_name": "A", "family_name": "B"}]}, ANY
    )
    assert office.created and office.id.startswith("o-")
    seeded.owners[office.id] = seeded.id
    contact = seeded.editor.add_contact(ADMIN, office.id, {"given_name": "C", "family_name": "D"}, ANY)
    assert contact.created and contact.id.startswith("c-")
    assert contact.revision == seeded.store.revision() == office.revision + 1
    stored = next(o for o in seeded.doc()["offices"] if o["id"] == office.id)
    assert [c["given_name"] for c in stored["contacts"]] == ["A", "C"]
    assert stored["created_revision"] == office.revision
    assert stored["contacts"][1]["created_revision"] == contact.revision


def test_every_path_answers_404_for_a_deleted_municipality() -> None:
    seeded = Seeded()
    editor, office_id, contact_id = seeded.editor, seeded.office_id, seeded.contact_ids[0]
    editor.delete_municipality(ADMIN, seeded.id, ANY)
    body = {"given_name": "A", "family_name": "B"}
    writes: list[Callable[[], object]] = [
        lambda: editor.read(ADMIN, "office", office_id),
        lambda: editor.add_office(ADMIN, seeded.id, {"name": "X"}, ANY),
        lambda: editor.add_contact(ADMIN, office_id, body, ANY),
        lambda: editor.patch_office(ADMIN, office_id, {"name": "X"}, ANY),
        lambda: editor.patch_contact(ADMIN, contact_id, {"function": "X"}, ANY),
        lambda: editor.delete_office(ADMIN, office_id, ANY),
        lambda: editor.delete_contact(ADMIN, contact_id, ANY),
        lambda: editor.patch_municipality(ADMIN, seeded.id, {"website": "https://example.org"}, ANY),
        lambda: editor.confirm_municipality(ADMIN, seeded.id, ANY),
    ]
    revision = seeded.store.revision()
    for write in writes:
        with pytest.raises(NotFound):
            write()
    assert seeded.store.revision() == revision


def test_an_office_patch_leaves_its_contacts_and_refuses_to_change_them() -> None:
    seeded = Seeded()
    before = next(o for o in seeded.doc()["offices"] if o["id"] == seeded.office_id)
    with pytest.raises(InvalidRecord):
        seeded.editor.patch_office(ADMIN, seeded.office_id, {"contacts": []}, ANY)
    written = seeded.editor.patch_office(ADMIN, seeded.office_id, {"name": "Umbenannt"}, ANY)
    after = next(o for o in seeded.doc()["offices"] if o["id"] == seeded.office_id)
    assert after["name"] == "Umbenannt"
    assert [c["id"] for c in after["contacts"]] == [c["id"] for c in before["contacts"]]
    again = seeded.editor.patch_office(ADMIN, seeded.office_id, {"name": "Umbenannt"}, ANY)
    assert again.revision == written.revision  # nothing changed: no write, no revision


def test_withdrawing_a_contact_leaves_a_tombstone_and_deleting_an_office_buries_its_contacts() -> None:
    seeded = Seeded()
    contact_id = seeded.contact_ids[0]
    seeded.editor.patch_contact(ADMIN, contact_id, {"public": True}, ANY)
    seeded.editor.patch_contact(ADMIN, contact_id, {"public": False}, ANY)
    assert [(t["kind"], t["id"], t["public"]) for t in seeded.doc()["tombstones"]] == [
        ("contact", contact_id, True)
    ]
    office = next(o for o in seeded.doc()["offices"] if o["id"] == seeded.office_id)
    seeded.editor.delete_office(ADMIN, seeded.office_id, ANY)
    buried = {(t["kind"], t["id"]) for t in seeded.doc()["tombstones"]}
    assert ("office", seeded.office_id) in buried
    assert {("contact", c["id"]) for c in office["contacts"]} <= buried
    assert seeded.office_id not in {o["id"] for o in seeded.doc().get("offices", [])}


class RivalFirst(MemoryStore):
    """A store where another writer's change lands just before the editor's first item write."""

    def __init__(self) -> None:
        super().__init__()
        self.rival: Any = None

    def put_document(self, doc: StoredDocument, *, expected_version: int | None) -> None:
        rival, self.rival = self.rival, None
        if rival is not None and expected_version is not None:
            stored = self.get_document(doc.municipality_id)
            changed = json.loads(stored.document)
            rival(changed)
            super().put_document(
                StoredDocument(stored.municipality_id, stored.version + 1, json.dumps(changed)),
                expected_version=stored.version,
            )
        super().put_document(doc, expected_version=expected_version)


def _set_function(contact_id: str, function: str) -> Any:
    def rival(doc: dict[str, Any]) -> None:
        for office in doc["offices"]:
            for contact in office["contacts"]:
                if contact["id"] == contact_id:
                    contact["function"] = function

    return rival


def test_a_race_lost_to_an_edit_of_another_contact_is_re_applied_and_both_land() -> None:
    store = RivalFirst()
    seeded = Seeded(store)
    mine, theirs = seeded.contact_ids[:2]
    etag = entry_etag("contact", seeded.contact(mine))
    store.rival = _set_function(theirs, "Von nebenan")
    seeded.editor.patch_contact(ADMIN, mine, {"function": "Meine"}, Preconditions(etag))
    assert seeded.contact(mine)["function"] == "Meine"
    assert seeded.contact(theirs)["function"] == "Von nebenan"


def test_a_race_lost_to_an_edit_of_the_same_contact_is_a_412_and_keeps_the_winner() -> None:
    store = RivalFirst()
    seeded = Seeded(store)
    contact_id = seeded.contact_ids[0]
    etag = entry_etag("contact", seeded.contact(contact_id))
    store.rival = _set_function(contact_id, "Schneller")
    with pytest.raises(PreconditionFailed):
        seeded.editor.patch_contact(ADMIN, contact_id, {"function": "Langsamer"}, Preconditions(etag))
    assert seeded.contact(contact_id)["function"] == "Schneller"
