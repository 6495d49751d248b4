"""A plain sheet — a header and rows of text — as CSV or XLSX: mail merge and reports.

CSV as `export` writes it (UTF-8 with BOM, `;`, German Excel opens it directly); XLSX with
every cell text, never a formula. Cells that start like a formula are defused in CSV.
Sheets holding sign-in links are written readable by their owner only: a link is a password.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | int | None
Sheet = tuple[str, Sequence[str], Sequence[Sequence[Cell]]]  # name, header, rows

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_SUFFIXES = (".csv", ".xlsx")


def _text(value: Cell) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def sheet_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def sheets_xlsx(sheets: Sequence[Sheet]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    bold = Font(bold=True)
    for name, header, rows in sheets:
        sheet = workbook.create_sheet(name)
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = bold
        for row_number, row in enumerate(rows, start=2):
            for index, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=index, value="" if value is None else str(value))
                cell.data_type = "s"  # never a formula, whatever the text starts with
        for index, title in enumerate(header, start=1):
            longest = max([len(title), *(len(str(row[index - 1] or "")) for row in rows)])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 10), 60)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_sheets(path: Path, sheets: Sequence[Sheet], *, private: bool = False) -> None:
    """The sheets to `path` by its extension: CSV holds the first one only, XLSX all of them."""
    data = sheets_xlsx(sheets) if path.suffix.lower() == ".xlsx" else sheet_csv(sheets[0][1], sheets[0][2])
    if not private:
        path.write_bytes(data)
        return
    # Created 0600 before anything is in it: no moment where others could read the links.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    path.chmod(0o600)
