"""What a municipal clerk editing the sheet meets: rows that may leave repeated columns empty,
unambiguous spellings accepted, and one message per mistake that says what to write instead."""

from __future__ import annotations

import csv
import io
from typing import Any

from admin.checks import check
from admin.formats import COLUMNS, read_csv, write_csv
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
