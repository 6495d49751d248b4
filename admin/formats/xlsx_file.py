"""XLSX: the CSV's columns on sheet "Verzeichnis", their explanation on sheet "Spalten".

Every column except the numbers (lat, lon, population) is written as a text cell with the
number format ``@``, so Excel keeps ``05566`` and ``0251 …`` as typed, never evaluates a cell as
a formula, and new cells typed into those columns stay text too. Reading takes the sheet
"Verzeichnis" (else the first) and copes with what Excel may have made of retyped cells:
keys that became numbers are padded back to 5 or 8 digits, dates become ISO dates, and a
phone number that became a number is reported (its leading 0 or + is gone).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .columns import COLUMNS, NUMERIC_KINDS
from .result import ReadResult, RowError
from .table import from_rows, to_rows, with_exported_revision

DATA_SHEET = "Verzeichnis"
COLUMNS_SHEET = "Spalten"
EXCEL_CELL_LIMIT = 32_767
TEXT = "@"


def write_xlsx(records: Iterable[Mapping[str, Any]], revision: int | None = None) -> bytes:
    """The records as an XLSX workbook: data sheet plus the column explanations.

    ``revision``, the directory revision the records were taken at, goes on every row."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    sheet = workbook.create_sheet(DATA_SHEET)
    bold = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.name)
        cell.font = bold
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(len(column.name) + 2, 12), 40)
        if column.kind not in NUMERIC_KINDS:
            sheet.column_dimensions[letter].number_format = TEXT
    for row_number, row in enumerate(to_rows(with_exported_revision(records, revision)), start=2):
        for index, (column, value) in enumerate(zip(COLUMNS, row, strict=True), start=1):
            if column.kind in NUMERIC_KINDS and not isinstance(value, str):
                sheet.cell(row=row_number, column=index, value=value)
                continue
            if value is not None and len(str(value)) > EXCEL_CELL_LIMIT:
                raise ValueError(f"row {row_number}, {column.name}: longer than an Excel cell holds")
            cell = sheet.cell(row=row_number, column=index, value=value)
            cell.data_type = "s"  # never a formula, whatever the text starts with
            cell.number_format = TEXT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions

    explained = workbook.create_sheet(COLUMNS_SHEET)
    explained.append(["Spalte / column", "Pfad / path", "Bedeutung", "Meaning", "Format / Beispiel"])
    for cell in explained[1]:
        cell.font = bold
    for column in COLUMNS:
        explained.append([column.name, column.pointer, column.de, column.en, column.example])
    for row in explained.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (26, 30, 60, 60, 40), strict=True):
        explained.column_dimensions[letter].width = width
    explained.freeze_panes = "A2"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes) -> ReadResult:
    """Records from XLSX bytes, with row errors (header = row 1)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        return ReadResult([], [RowError("", "not an XLSX workbook", row=1)])
    try:
        sheet = workbook[DATA_SHEET] if DATA_SHEET in workbook.sheetnames else workbook.worksheets[0]
        rows: list[tuple[int, list[Any]]] = [
            (number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    if not rows:
        return ReadResult([], [RowError("", "the sheet is empty", row=1)])
    return from_rows(rows[0][1], rows[1:])
