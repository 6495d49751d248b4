"""An id once used stays reserved: its tombstone holds it (issue 16 item 7), on both emulators.

A card's UID derives from the id, so a new entry under an erased one's id would take over
the address-book entries made from the erased person's card.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.errors import InvalidRecord
from chalicelib.storage.store import DirectoryStore
from chalicelib.write import importer
from chalicelib.write.writer import DirectoryWriter
from tests.support.editing import DUISBURG, DUISBURG_OFFICE, STEINFURT, STEINFURT_OFFICE, call, token
from tests.support.emulators import Api

PERSON = {"given_name": "Erika", "family_name": "Beispiel", "public": True}


def _erased_contact(api: Api, admin: str, office_id: str) -> str:
    added = call(api, "POST", f"/offices/{office_id}/contacts", bearer=admin, body=PERSON, if_match="*")
    assert added.status == 201, added.body
    contact_id: str = added.body["id"]
    assert call(api, "DELETE", f"/contacts/{contact_id}", bearer=admin, if_match="*").status in (200, 204)
    return contact_id


def _put_with_contact(api: Api, bearer: str, contact_id: str) -> Any:
    body = call(api, "GET", f"/municipalities/{STEINFURT}", bearer=bearer).body
    body["offices"][0]["contacts"].append({**PERSON, "id": contact_id, "given_name": "Neu"})
    return call(api, "PUT", f"/municipalities/{STEINFURT}", bearer=bearer, body=body, if_match="*")


def test_another_municipality_cannot_take_the_id_of_an_erased_contact(backend_api: Api) -> None:
    api = backend_api
    erased = _erased_contact(api, token(), DUISBURG_OFFICE)
    steinfurt = token(f"municipality:{STEINFURT}")
    answer = _put_with_contact(api, steinfurt, erased)
    assert answer.status == 422, answer.body
    (error,) = answer.body["error"]["details"]["errors"]
    assert error["type"] == "reserved_id"
    assert error["pointer"].startswith("/offices/0/contacts/") and error["pointer"].endswith("/id")
    assert erased not in json.dumps(answer.body)
    assert call(api, "GET", f"/contacts/{erased}").status == 404
    assert call(api, "GET", f"/contacts/{erased}/vcard").status == 404


def test_the_same_municipality_cannot_reuse_the_id_of_its_own_erased_contact(backend_api: Api) -> None:
    api = backend_api
    steinfurt = token(f"municipality:{STEINFURT}")
    erased = _erased_contact(api, steinfurt, STEINFURT_OFFICE)
    answer = _put_with_contact(api, steinfurt, erased)
    assert answer.status == 422, answer.body
    assert [e["type"] for e in answer.body["error"]["details"]["errors"]] == ["reserved_id"]


def test_an_erased_office_id_stays_reserved_and_a_deleted_municipality_keeps_its_ids(
    backend_api: Api,
) -> None:
    api = backend_api
    admin = token()
    contact = call(
        api, "POST", f"/offices/{DUISBURG_OFFICE}/contacts", bearer=admin, body=PERSON, if_match="*"
    )
    assert call(api, "DELETE", f"/municipalities/{DUISBURG}", bearer=admin, if_match="*").status in (200, 204)
    body = call(api, "GET", f"/municipalities/{STEINFURT}", bearer=admin).body
    body["offices"].append({"id": DUISBURG_OFFICE, "name": "Übernommen"})
    body["offices"][0]["contacts"].append({**PERSON, "id": contact.body["id"]})
    answer = call(api, "PUT", f"/municipalities/{STEINFURT}", bearer=admin, body=body, if_match="*")
    assert answer.status == 422, answer.body
    assert sorted(e["type"] for e in answer.body["error"]["details"]["errors"]) == [
        "reserved_id",
        "reserved_id",
    ]


def test_a_fresh_id_and_a_withdrawn_contact_made_public_again_are_fine(backend_api: Api) -> None:
    api = backend_api
    steinfurt = token(f"municipality:{STEINFURT}")
    added = call(
        api, "POST", f"/offices/{STEINFURT_OFFICE}/contacts", bearer=steinfurt, body=PERSON, if_match="*"
    )
    contact_id = added.body["id"]
    for public in (False, True):
        patched = call(
            api, "PATCH", f"/contacts/{contact_id}", bearer=steinfurt, body={"public": public}, if_match="*"
        )
        assert patched.status == 200, patched.body
    assert _put_with_contact(api, steinfurt, "c-" + "a" * 32).status == 200


# -- the import -------------------------------------------------------------------------------


def _record(ags: str, office_id: str, contact_ids: list[str]) -> dict[str, Any]:
    return {
        "id": ags,
        "participation": {"status": "reported"},
        "offices": [{"id": office_id, "name": "KI", "contacts": [{**PERSON, "id": c} for c in contact_ids]}],
    }


def _file(tmp_path: Path, *records: dict[str, Any]) -> Path:
    path = tmp_path / "directory.json"
    path.write_text(json.dumps({"municipalities": list(records)}), encoding="utf-8")
    return path


def test_an_import_cannot_take_an_erased_id_but_may_move_a_living_one(
    backend_store: DirectoryStore, tmp_path: Path
) -> None:
    writer = DirectoryWriter(backend_store)
    importer.load(writer, _file(tmp_path, _record("05154", "ki-kleve", ["c-gone", "c-move"])))
    # c-gone is erased from Kleve; c-move moves to Bonn in the same file
    importer.load(
        writer, _file(tmp_path, _record("05154", "ki-kleve", []), _record("05314", "ki-bonn", ["c-move"]))
    )
    before = sorted(backend_store.load_documents(), key=lambda d: d.municipality_id)
    for records, place in (
        ([_record("05314", "ki-bonn", ["c-move", "c-gone"])], "#/municipalities/0/offices/0/contacts/1"),
        ([_record("05154", "ki-kleve", ["c-gone"])], "#/municipalities/0/offices/0/contacts/0"),  # its own
    ):
        with pytest.raises(InvalidRecord) as raised:
            importer.load(writer, _file(tmp_path, *records))
        assert raised.value.details["reserved"] == [place]
        assert "c-gone" not in raised.value.message + json.dumps(raised.value.details)
    assert sorted(backend_store.load_documents(), key=lambda d: d.municipality_id) == before
    # a living id moves on (Bonn → Kleve), though Kleve's tombstone of it remains
    importer.load(
        writer, _file(tmp_path, _record("05154", "ki-kleve", ["c-move"]), _record("05314", "ki-bonn", []))
    )
