"""The import's whole-file check: every error, at its row (or JSON pointer) and column, no values."""

from __future__ import annotations

import copy
import json
from typing import Any

from admin.checks import check
from admin.formats import ReadResult, read_csv, read_json, write_csv
from chalicelib.write import importer
from chalicelib.write.reference import load_reference
from chalicelib.write.writer import content_of

REFERENCE = load_reference(importer.DEFAULT_REFERENCE)
# Synthetic people and numbers (Köln's area code, made-up digits) under real official keys.
BAD_PHONE = "Telefon folgt bald"
BAD_EMAIL = "ruediger.weissgerber(at)example.org"


def steinfurt() -> dict[str, Any]:
    return {
        "id": "05566",
        "participation": {"status": "reported"},
        "offices": [
            {
                "id": "ki-test-steinfurt",
                "name": "Kommunales Integrationszentrum (synthetisch)",
                "contacts": [
                    {"id": "c-test-0001", "given_name": "Rüdiger", "family_name": "Weißgerber",
                     "phone": "0221 5550101", "public": True},
                    {"id": "c-test-0002", "given_name": "Ayşe", "family_name": "Öztürk", "public": False},
                ],
            },
            {"id": "amt-test-steinfurt", "name": "Amt ohne Ansprechperson"},
        ],
    }


def rheine() -> dict[str, Any]:
    return {"id": "05566076", "participation": {"status": "reported", "via": "05566"}}


def essen() -> dict[str, Any]:
    return {
        "id": "05113",
        "participation": {"status": "reported"},
        "offices": [{"id": "ki-test-essen", "name": "KI Essen (synthetisch)",
                     "contacts": [{"id": "c-test-0101", "given_name": "Jana", "family_name": "Kühn"}]}],
    }


def csv_of(*records: dict[str, Any]) -> ReadResult:
    return read_csv(write_csv(records))


def json_of(*records: dict[str, Any]) -> ReadResult:
    return read_json(json.dumps({"municipalities": list(records)}).encode("utf-8"))


def test_a_valid_file_gives_its_municipalities_and_what_an_import_stores() -> None:
    checked = check(csv_of(steinfurt(), rheine(), essen()), REFERENCE, {}, table=True)
    assert checked.errors == []
    assert [m.id for m in checked.municipalities] == ["05113", "05566", "05566076"]
    assert checked.contents == [content_of(m) for m in checked.municipalities]
    assert checked.contents[1]["name"] == "Kreis Steinfurt"  # filled in from the reference table
    assert checked.contents[1]["offices"][0]["contacts"][0]["phone"] == "+492215550101"
    assert checked.entries == 3 + 3 + 3


def test_every_error_is_reported_at_its_row_and_column_without_its_value() -> None:
    kreis = steinfurt()
    kreis["offices"][0]["contacts"][0]["phone"] = BAD_PHONE  # row 2
    kreis["offices"][0]["contacts"][1]["email"] = BAD_EMAIL  # row 3
    city = essen() | {"kind": "Kreis"}  # the reference says kreisfreie Stadt
    city["participation"]["status"] = "bekannt"  # and the models say confirmed or reported
    unknown = {"id": "05999", "participation": {"status": "reported"}}  # no such key
    stored = {"05112": {"id": "05112", "offices": [{"id": "ki-test-steinfurt", "name": "vergeben"}]}}
    checked = check(csv_of(city, kreis, rheine(), unknown), REFERENCE, stored, table=True)

    # rows: 1 header, 2 Essen, 3–4 Steinfurt's contacts, 5 its office without contacts, 6 Rheine, 7 05999
    assert [(e.row, e.column) for e in checked.errors] == [
        (2, "kind"),
        (2, "participation_status"),
        (3, "contact_phone"),
        (3, "office_id"),  # taken elsewhere — reported though the record has errors of its own
        (4, "contact_email"),
        (7, "id"),
    ]
    text = "\n".join(str(e) for e in checked.errors)
    for value in (BAD_PHONE, BAD_EMAIL, "ruediger", "weissgerber", "Kreis'", "05999"):
        assert value.lower() not in text.lower()
    assert checked.municipalities and not checked.ok  # the valid ones are checked further, not written


def test_json_files_get_pointers() -> None:
    kreis = steinfurt()
    kreis["offices"][0]["contacts"][1]["email"] = BAD_EMAIL
    del kreis["offices"][1]["name"]
    checked = check(json_of(rheine(), kreis), REFERENCE, {}, table=False)
    assert [(e.pointer, e.column, e.row) for e in checked.errors] == [
        ("/municipalities/1/offices/0/contacts/1/email", "email", None),
        ("/municipalities/1/offices/1/name", "name", None),
    ]
    assert BAD_EMAIL not in str(checked.errors[0])
    assert str(checked.errors[0]).startswith("/municipalities/1/offices/0/contacts/1/email, email: ")


def test_a_municipality_listed_twice_is_named_at_both_places() -> None:
    checked = check(json_of(essen(), steinfurt(), essen()), REFERENCE, {}, table=False)
    assert [(e.pointer, e.message) for e in checked.errors] == [
        ("/municipalities/2/id", "listed before, at /municipalities/0"),
    ]


def test_ids_are_unique_across_the_directory_the_file_and_what_stays_stored() -> None:
    stored_duisburg = content_of(
        importer.complete(
            {"id": "05112", "participation": {"status": "reported"},
             "offices": [{"id": "ki-test-steinfurt", "name": "Schon vergeben"}]},
            REFERENCE,
        )
    )
    city = essen()
    city["offices"][0]["contacts"][0]["id"] = "c-test-0001"  # Steinfurt's too
    result = csv_of(steinfurt(), city)  # rows: 2 Essen, 3–5 Steinfurt

    checked = check(result, REFERENCE, {"05112": stored_duisburg}, table=True)
    assert [(e.row, e.column, e.message) for e in checked.errors] == [
        (3, "office_id", "this office id is taken by municipality 05112 in the directory"),
        (3, "contact_id", "this contact id is taken by municipality 05113 (row 2)"),
    ]
    # The municipality the file replaces frees its ids; --prune frees every stored one.
    assert [e.column for e in check(result, REFERENCE, {"05566": stored_duisburg}, table=True).errors] == [
        "contact_id"
    ]
    pruned = check(result, REFERENCE, {"05112": stored_duisburg}, table=True, prune=True)
    assert [e.column for e in pruned.errors] == ["contact_id"]


def test_via_names_a_kreis_of_the_file_or_of_the_directory() -> None:
    alone = check(csv_of(rheine()), REFERENCE, {}, table=True)
    assert [(e.row, e.column) for e in alone.errors] == [(2, "participation_via")]
    stored = {"05566": content_of(importer.complete(steinfurt(), REFERENCE))}
    assert check(csv_of(rheine()), REFERENCE, stored, table=True).ok
    assert not check(csv_of(rheine()), REFERENCE, stored, table=True, prune=True).ok


def test_new_contacts_get_an_id_but_the_dry_run_sees_them_as_new() -> None:
    kreis = steinfurt()
    del kreis["offices"][0]["contacts"][1]["id"]
    checked = check(csv_of(kreis), REFERENCE, {}, table=True)
    assert checked.ok
    assert checked.municipalities[0].offices[0].contacts[1].id.startswith("c-")
    assert "id" not in checked.contents[0]["offices"][0]["contacts"][1]
    assert checked.contents[0]["offices"][0]["contacts"][0]["id"] == "c-test-0001"


def test_fields_the_api_sets_may_come_back_from_an_answer_and_are_ignored() -> None:
    kreis = copy.deepcopy(steinfurt())
    kreis |= {"updated_at": "2026-11-25T10:00:00Z", "version": 3, "links": {"self": "/x"}, "etag": '"1"'}
    kreis["offices"][0]["contacts"][0] |= {"phone_display": "+49 221 5550101", "revision": 4}
    assert check(json_of(kreis), REFERENCE, {}, table=False).ok


def test_format_errors_come_first_and_stay() -> None:
    result = read_json(b'{"municipalities": [1, {"id": "05113", "participation": {"status": "reported"}}]}')
    checked = check(result, REFERENCE, {}, table=False)
    assert [(e.pointer, e.message) for e in checked.errors] == [("/municipalities/0", "not an object")]
    assert [m.id for m in checked.municipalities] == ["05113"]
