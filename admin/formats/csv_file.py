"""CSV: one row per contact, written for German Excel, read from whatever Excel saved.

Written as UTF-8 with a byte order mark (so Excel recognises UTF-8), ``;`` between fields
(Excel's default in German locales) and CRLF line ends. Reading accepts ``;`` or ``,``
(decided by counting them in the header line), with or without BOM, and Windows-1252 files
as German Excel saves "CSV (Trennzeichen-getrennt)".

Spreadsheets evaluate a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula: a
name like ``=HYPERLINK(…)`` would run, and ``+49 251 …`` would turn into a number. Text cells
starting with one of those (or with an apostrophe) are therefore written with a leading
apostrophe, and reading drops one leading apostrophe from every cell — so values survive the
round trip exactly. Excel still guesses types in a CSV it opens (``05566`` → ``5566``, ``2019-05``
→ a date): keys are padded back on reading, but for editing in Excel use the XLSX.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from .columns import COLUMNS, NUMERIC_KINDS, Column
from .result import ReadResult, RowError
from .table import from_rows, to_rows, with_exported_revision

DELIMITERS = (";", ",")
_FORMULA_START = ("=", "+", "-", "@", "'", "\t", "\r")


def _text(column: Column, value: str | int | float | None) -> str:
    if value is None:
        return ""
    if column.kind in NUMERIC_KINDS and not isinstance(value, str):
        return repr(value)  # the shortest text that reads back as the same float
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(
    records: Iterable[Mapping[str, Any]], revision: int | None = None, *, delimiter: str = ";"
) -> bytes:
    """The records as CSV bytes (UTF-8 with BOM, CRLF); ``revision`` goes on every row."""
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter must be one of {DELIMITERS}")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([column.name for column in COLUMNS])
    for row in to_rows(with_exported_revision(records, revision)):
        writer.writerow([_text(column, value) for column, value in zip(COLUMNS, row, strict=True)])
    return buffer.getvalue().encode("utf-8-sig")


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def detect_delimiter(text: str) -> str:
    """``;`` or ``,``: whichever the header line holds more of (column names contain neither)."""
    header = text.split("\n", 1)[0]
    return "," if header.count(",") > header.count(";") else ";"


def _unescape(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def read_csv(data: bytes) -> ReadResult:
    """Records from CSV bytes, with row errors (header = row 1)."""
    text = _decode(data)
    if text is None:
        return ReadResult([], [RowError("", "not UTF-8 or Windows-1252 text", row=1)])
    if not text.strip():
        return ReadResult([], [RowError("", "the file is empty", row=1)])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))
    rows: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            rows.append((number, [_unescape(cell) for cell in row]))
    except csv.Error as problem:
        return ReadResult([], [RowError("", f"not readable as CSV ({problem})", row=number + 1)])
    header = rows[0][1]
    return from_rows(header, rows[1:])
