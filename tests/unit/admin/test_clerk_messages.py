"""What a municipal clerk editing the sheet meets: rows that may leave repeated columns empty,
unambiguous spellings accepted, and one message per mistake that says what to write instead."""

from __future__ import annotations

import csv
import io
from typing import Any

from admin.checks import check
from admin.formats import COLUMNS, read_csv, write_csv
from admin.formats.result import language_from, set_language
from chalicelib.write import importer
from chalicelib.write.reference import load_reference
from tests.unit.admin.test_checks import steinfurt

REFERENCE = load_reference(importer.DEFAULT_REFERENCE)


def with_rows(records: list[dict[str, Any]], *extra: dict[str, str]) -> bytes:
    """An exported sheet with rows appended as a clerk types them: only the cells named."""
    text = write_csv(records).decode("utf-8-sig")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for cells in extra:
        writer.writerow([cells.get(column.name, "") for column in COLUMNS])
    return (text + buffer.getvalue()).encode("utf-8")


def test_a_new_office_row_with_only_its_ids_and_office_columns_imports_cleanly() -> None:
    data = with_rows([steinfurt()], {"id": "05566", "office_id": "ki-test-neu", "office_name": "Neue Stelle"})
    result = read_csv(data)
    checked = check(result, REFERENCE, {}, table=True)
    assert checked.errors == []
    (municipality,) = checked.municipalities
    assert [o.id for o in municipality.offices][-1] == "ki-test-neu"
    # the municipality's columns come from its other rows, not from the empty cells
    assert municipality.name == "Kreis Steinfurt"


def test_a_new_contact_row_needs_only_the_ids_and_its_own_columns() -> None:
    data = with_rows(
        [steinfurt()],
        {"id": "05566", "office_id": "ki-test-steinfurt", "contact_given_name": "Neu",
         "contact_family_name": "Person"},
    )
    checked = check(read_csv(data), REFERENCE, {}, table=True)
    assert checked.errors == []
    office = checked.municipalities[0].offices[0]
    assert [c.given_name for c in office.contacts][-1] == "Neu"
    assert office.name == "Kommunales Integrationszentrum (synthetisch)"


def test_non_empty_cells_that_disagree_are_still_refused() -> None:
    new_row = {"id": "05566", "participation_status": "confirmed", "office_id": "ki-test-neu"}
    data = with_rows([steinfurt()], new_row)
    errors = read_csv(data).errors
    assert [(e.column, e.row) for e in errors] == [("participation_status", 5)]


def sheet(*rows: dict[str, str]) -> bytes:
    """A CSV as a clerk saves it from German Excel: ';', only the cells named filled in."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.name for column in COLUMNS])
    for cells in rows:
        writer.writerow([cells.get(column.name, "") for column in COLUMNS])
    return buffer.getvalue().encode("utf-8")


# The six mistakes of issue 18, item 5, in the forms no reading can make sense of.
SIX_MISTAKES = {
    "participation_since": "Mai 2019",
    "office_website": "kreis lippe",
    "lat": "53,9",  # not Steinfurt's centre, and no lon beside it
    "kind": "Großstadt",
    "population": "viele",
    "office_postal_code": "3360",  # 4 digits: a lost digit, not a dropped leading 0 (NRW: 32…–59…)
}


def six_mistakes() -> bytes:
    return sheet({"id": "05566", "participation_status": "reported", "population_as_of": "2019-12-31",
                  "office_id": "ki-test-steinfurt", "office_name": "Kommunales Integrationszentrum",
                  **SIX_MISTAKES})


def test_six_mistakes_give_six_german_messages_a_clerk_can_act_on() -> None:
    checked = check(read_csv(six_mistakes()), REFERENCE, {}, table=True)
    assert not checked.ok
    set_language("de")
    try:
        told = [str(error) for error in checked.errors]
    finally:
        set_language("en")
    assert len(told) == 6, told  # one per mistake: the unreadable population is not also "missing"
    columns = sorted(error.column for error in checked.errors)
    assert columns == sorted(["participation_since", "office_website", "lat, lon", "kind", "population",
                              "office_postal_code"])
    for text in told:
        assert text.startswith("Zeile 2, ")
        assert "erwartet: " in text or "Referenztabelle" in text  # what to write instead
        assert "coordinates" not in text and "pattern" not in text and "Input should" not in text
        for value in SIX_MISTAKES.values():
            assert value not in text  # never the value
    kind = next(t for t in told if ", kind:" in t)
    assert "Kreis" in kind  # the reference table's own value: what to write
    postal = next(t for t in told if "office_postal_code" in t)
    assert "5 Ziffern" in postal and "z. B. 48565" in postal


def test_the_same_mistakes_in_english_by_default() -> None:
    checked = check(read_csv(six_mistakes()), REFERENCE, {}, table=True)
    assert all(str(e).startswith("row 2, ") for e in checked.errors)
    assert all("expected " in str(e) or "reference table" in str(e) for e in checked.errors)


def test_what_is_unambiguous_is_accepted_in_the_stored_form() -> None:
    data = sheet(
        {"id": "05113", "kind": " Kreisfreie Stadt ", "regierungsbezirk": "duesseldorf",
         "participation_status": "reported", "participation_since": "22.05.2019", "website": "www.essen.de",
         "office_id": "ki-test-essen", "office_name": "KI Essen", "office_website": "www.essen.de/ki "},
        {"id": "05566", "kind": "kreis", "participation_status": "reported",
         "participation_since": "10.2018"},
    )
    result = read_csv(data)
    checked = check(result, REFERENCE, {}, table=True)
    assert checked.errors == []
    essen, steinfurt_ = checked.municipalities
    assert essen.kind == "kreisfreie Stadt" and essen.regierungsbezirk == "Düsseldorf"
    assert str(essen.participation.since) == "2019-05-22" and steinfurt_.participation.since is not None
    assert str(steinfurt_.participation.since) == "2018-10"
    assert str(essen.website).startswith("https://www.essen.de")
    assert str(essen.offices[0].website).startswith("https://www.essen.de/ki")


def test_the_language_follows_the_environment() -> None:
    assert language_from({"LANG": "de_DE.UTF-8"}) == "de"
    assert language_from({"LC_ALL": "en_GB.UTF-8", "LANG": "de_DE.UTF-8"}) == "en"
    assert language_from({}) == "en"
