"""XLSX: text cells for keys and phones, an explanation sheet, and Excel's number habits undone."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from openpyxl import Workbook, load_workbook

from admin.formats import COLUMNS, read_xlsx, write_xlsx
from admin.formats.records import sort_by_id
from admin.formats.xlsx_file import COLUMNS_SHEET, DATA_SHEET
from tests.unit.admin.examples import kommune, kreis

INDEX = {c.name: i for i, c in enumerate(COLUMNS, start=1)}


def workbook_with(*rows: dict[str, Any]) -> bytes:
    """A workbook as Excel might save it after editing: typed cells, no text formats."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append([c.name for c in COLUMNS])
    for row in rows:
        sheet.append([row.get(c.name) for c in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_round_trip_with_umlauts_separators_and_line_breaks() -> None:
    records = [kreis(), kommune()]
    result = read_xlsx(write_xlsx(records))
    assert result.errors == []
    assert result.records == sort_by_id(records)


def test_keys_and_phones_are_text_cells_numbers_are_numbers() -> None:
    book = load_workbook(io.BytesIO(write_xlsx([kreis()])))
    sheet = book[DATA_SHEET]
    for name in ("id", "office_phone", "office_postal_code", "contact_phone", "participation_via"):
        cell = sheet.cell(row=2, column=INDEX[name])
        assert cell.number_format == "@", name
        assert cell.value is None or isinstance(cell.value, str), name
    assert sheet.cell(row=2, column=INDEX["id"]).value == "05999"
    assert sheet.cell(row=2, column=INDEX["office_postal_code"]).value == "01234"
    assert sheet.cell(row=2, column=INDEX["lat"]).value == 50.93811
    assert sheet.cell(row=2, column=INDEX["population"]).value == 123456
    # text that looks like a formula stays text
    formula_like = sheet.cell(row=3, column=INDEX["contact_given_name"])
    assert (formula_like.value, formula_like.data_type) == ('=HYPERLINK("x")', "s")
    # new cells typed into a key column stay text as well
    assert sheet.column_dimensions["A"].number_format == "@"


def test_the_columns_sheet_explains_every_column() -> None:
    book = load_workbook(io.BytesIO(write_xlsx([])))
    assert book.sheetnames == [DATA_SHEET, COLUMNS_SHEET]
    explained = list(book[COLUMNS_SHEET].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in explained] == [c.name for c in COLUMNS]
    assert all(row[2] and row[3] for row in explained)  # German and English meaning


def test_cells_excel_turned_into_numbers_are_read_gracefully() -> None:
    data = workbook_with(
        {"id": 5999, "participation_status": "confirmed", "population": 448220.0, "participation_since": 2019,
         "office_id": "o-1", "office_postal_code": 48565, "contact_given_name": "A", "contact_public": True},
        {"id": 5999001, "participation_via": 5999.0, "population_as_of": datetime(2019, 12, 31)},
    )
    result = read_xlsx(data)
    assert result.errors == []
    kreis_record, kommune_record = result.records
    assert kreis_record["id"] == "05999"
    assert kreis_record["population"] == {"count": 448220}
    assert kreis_record["participation"]["since"] == "2019"
    assert kreis_record["offices"][0]["address"] == {"postal_code": "48565"}
    assert kreis_record["offices"][0]["contacts"][0]["public"] is True
    assert kommune_record["id"] == "05999001"
    assert kommune_record["participation"] == {"via": "05999"}
    assert kommune_record["population"] == {"as_of": "2019-12-31"}


def test_a_phone_number_that_became_a_number_is_an_error_without_its_value() -> None:
    result = read_xlsx(workbook_with({"id": "05999", "office_id": "o-1", "office_phone": 2215550123}))
    assert [(e.row, e.column) for e in result.errors] == [(2, "office_phone")]
    assert "2215550123" not in str(result.errors[0])


def test_not_a_workbook() -> None:
    result = read_xlsx(b"id;name\r\n")
    assert result.records == []
    assert result.errors[0].message == "not an XLSX workbook"
