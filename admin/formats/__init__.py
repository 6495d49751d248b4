"""Directory files ↔ records, pure: JSON, CSV and XLSX; no DynamoDB, no validation.

Records are plain dicts in the API's file shape (``{"municipalities": [record, …]}``, see
``data/directory.json``). Reading returns a ``ReadResult``: the records, plus ``RowError``s that
name a row (tables; header = row 1) or a JSON pointer (JSON), the column, and what is wrong —
never the value. Validation against the models and the reference table is the importer's
job; ``ReadResult.row_of`` and ``column_at`` let it report those errors at a row and column.

The table formats' columns are documented once, in ``columns.COLUMNS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from .columns import COLUMNS, STORE_FIELDS, Column, column_at, columns_markdown
from .csv_file import read_csv, write_csv
from .diff import Change, diff
from .json_file import read_json, write_json
from .records import Record, canonical, public_only, sort_by_id
from .result import ReadResult, RowError
from .table import UnsupportedField
from .xlsx_file import read_xlsx, write_xlsx

Format = Literal["json", "csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("json", "csv", "xlsx")

_READERS: dict[Format, Callable[[bytes], ReadResult]] = {
    "json": read_json,
    "csv": read_csv,
    "xlsx": read_xlsx,
}
_WRITERS: dict[Format, Callable[[Iterable[Mapping[str, Any]], int | None], bytes]] = {
    "json": write_json,
    "csv": write_csv,
    "xlsx": write_xlsx,
}


def format_of(path: Path) -> Format:
    """The format a file name asks for: ``.json``, ``.csv`` or ``.xlsx``."""
    suffix = path.suffix.lower().lstrip(".")
    for name in FORMATS:
        if suffix == name:
            return name
    raise ValueError(f"{path.name}: unknown format; use .json, .csv or .xlsx")


def read_bytes(data: bytes, fmt: Format) -> ReadResult:
    return _READERS[fmt](data)


def write_bytes(records: Iterable[Mapping[str, Any]], fmt: Format, revision: int | None = None) -> bytes:
    """The records as a file; ``revision``: the directory revision they were taken at (exports)."""
    return _WRITERS[fmt](records, revision)


def read_path(path: Path) -> ReadResult:
    """Read a directory file; the format follows the file name."""
    return read_bytes(path.read_bytes(), format_of(path))


def write_path(path: Path, records: Iterable[Mapping[str, Any]]) -> None:
    """Write a directory file; the format follows the file name."""
    path.write_bytes(write_bytes(records, format_of(path)))


__all__ = [
    "COLUMNS",
    "FORMATS",
    "STORE_FIELDS",
    "Change",
    "Column",
    "Format",
    "ReadResult",
    "Record",
    "RowError",
    "UnsupportedField",
    "canonical",
    "column_at",
    "columns_markdown",
    "diff",
    "format_of",
    "public_only",
    "read_bytes",
    "read_csv",
    "read_json",
    "read_path",
    "read_xlsx",
    "sort_by_id",
    "write_bytes",
    "write_csv",
    "write_json",
    "write_path",
    "write_xlsx",
]
