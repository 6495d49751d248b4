"""Records ↔ rows of cells: the part the CSV and XLSX formats share.

Writing turns each municipality into rows (one per contact, else one per office, else one);
reading groups rows back by municipality id and office id and checks that the repeated
columns agree. Cells are typed as the XLSX holds them (str, int, float, bool, datetime or
None); the CSV reader hands in strings.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from chalicelib.domain.search import compact
from chalicelib.domain.vocabulary import KINDS, REGIERUNGSBEZIRKE

from .columns import (
    COLUMNS,
    COLUMNS_BY_NAME,
    EXPORTED_REVISION,
    NUMERIC_KINDS,
    STORE_FIELDS,
    Column,
    ColumnKind,
    Level,
)
from .forms import advised
from .records import Record, sort_by_id
from .result import ReadResult, RowError

CellValue = str | int | float | bool | datetime | date | None

TRUE_WORDS = frozenset({"ja", "j", "true", "yes", "y", "wahr", "1"})
FALSE_WORDS = frozenset({"nein", "n", "false", "no", "falsch", "0"})
PUBLIC_YES, PUBLIC_NO = "ja", "nein"

_LEVELS: tuple[Level, ...] = ("municipality", "office", "contact")
_BY_LEVEL: dict[Level, tuple[Column, ...]] = {
    level: tuple(c for c in COLUMNS if c.level == level) for level in _LEVELS
}
_DIGITS = re.compile(r"^\d+$")


class UnsupportedField(ValueError):
    """A record holds a field no column can carry; writing it to a table would lose it."""

    def __init__(self, pointers: list[str]) -> None:
        self.pointers = pointers
        super().__init__("no column for " + ", ".join(pointers))


class CellError(ValueError):
    """A cell that cannot be read as its column's kind; the message never repeats the cell."""

    def __init__(self, en: str, de: str | None = None) -> None:
        super().__init__(en)
        self.de = de or en


# Spelled as the API's query parameters accept them ("kreisfreie-stadt", "Kreisfreie Stadt "):
# the same folding, to the one spelling the directory stores.
_CANONICAL: dict[str, dict[str, str]] = {
    "kind": {compact(k): k for k in KINDS},
    "regierungsbezirk": {compact(r): r for r in REGIERUNGSBEZIRKE},
}
_GERMAN_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_GERMAN_MONTH = re.compile(r"^(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_WEB_HOST = re.compile(r"^[\w-]+(\.[\w-]+)+(:\d+)?([/?#]\S*)?$")


def _date_text(text: str) -> str:
    """ISO 8601 (reduced) from what a German clerk types: 22.05.2019 and 05.2019 are unambiguous."""
    day = _GERMAN_DAY.match(text)
    if day:
        try:
            return date(int(day[3]), int(day[2]), int(day[1])).isoformat()
        except ValueError:
            raise CellError("no such day", "diesen Tag gibt es nicht") from None
    month = _GERMAN_MONTH.match(text)
    if month and 1 <= int(month[1]) <= 12:
        return f"{month[2]}-{int(month[1]):02d}"
    if _ISO_DATE.match(text):
        return text
    raise CellError("not a date", "kein Datum")


def _url_text(text: str) -> str:
    """A web address; one typed without its scheme (www.kreis-lippe.de) means https://."""
    if "://" not in text and _WEB_HOST.match(text):
        return "https://" + text
    return text


def canonical_word(name: str, value: Any) -> Any:
    """kind and regierungsbezirk in their one stored spelling, when the folded text names one."""
    spellings = _CANONICAL.get(name)
    if spellings is None or not isinstance(value, str):
        return value
    return spellings.get(compact(value), value)


# --- writing -------------------------------------------------------------------------------


def _trie(columns: Iterable[Column]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for column in columns:
        node = root
        for key in column.local[:-1]:
            node = node.setdefault(key, {})
        node[column.local[-1]] = None  # a leaf: the whole value goes into one cell
    return root


_TRIES: dict[Level, dict[str, Any]] = {level: _trie(_BY_LEVEL[level]) for level in _LEVELS}


def _uncovered(value: Mapping[str, Any], trie: Mapping[str, Any], pointer: str) -> Iterator[str]:
    for key, item in value.items():
        if key not in trie:
            yield f"{pointer}/{key}"
        elif trie[key] is not None:
            if isinstance(item, Mapping):
                yield from _uncovered(item, trie[key], f"{pointer}/{key}")
            elif item is not None:
                yield f"{pointer}/{key}"


def _check_covered(record: Mapping[str, Any], pointer: str) -> None:
    problems = list(
        _uncovered({k: v for k, v in record.items() if k not in STORE_FIELDS | {"offices"}},
                   _TRIES["municipality"], pointer)
    )
    offices = record.get("offices") or []
    if not isinstance(offices, list):
        problems.append(f"{pointer}/offices")
        offices = []
    for i, office in enumerate(offices):
        where = f"{pointer}/offices/{i}"
        if not isinstance(office, Mapping):
            problems.append(where)
            continue
        problems += _uncovered({k: v for k, v in office.items() if k != "contacts"}, _TRIES["office"], where)
        contacts = office.get("contacts") or []
        if not isinstance(contacts, list):
            problems.append(f"{where}/contacts")
            continue
        for j, contact in enumerate(contacts):
            if not isinstance(contact, Mapping):
                problems.append(f"{where}/contacts/{j}")
            else:
                problems += _uncovered(contact, _TRIES["contact"], f"{where}/contacts/{j}")
    if problems:
        raise UnsupportedField(problems)


def _get(entity: Mapping[str, Any], path: Sequence[str]) -> Any:
    value: Any = entity
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def format_cell(kind: ColumnKind, value: Any) -> str | int | float | None:
    """A record's value as the cell holds it: numbers stay numbers, everything else is text."""
    if value is None or value == [] or value == "":
        return None
    if kind == "float" and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "bool" and isinstance(value, bool):
        return PUBLIC_YES if value else PUBLIC_NO
    if kind in ("words", "lines") and isinstance(value, list):
        return (" " if kind == "words" else "\n").join(str(item) for item in value)
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def with_exported_revision(records: Iterable[Mapping[str, Any]], revision: int | None) -> list[Record]:
    """The records, each carrying the file's directory revision: a table repeats it on every row."""
    if revision is None:
        return [dict(record) for record in records]
    return [{**record, EXPORTED_REVISION: revision} for record in records]


def to_rows(records: Iterable[Mapping[str, Any]]) -> list[list[str | int | float | None]]:
    """Rows in ``COLUMNS`` order, municipalities sorted by id; raises ``UnsupportedField``."""
    rows: list[list[str | int | float | None]] = []
    for index, record in enumerate(sort_by_id(records)):
        _check_covered(record, f"/municipalities/{index}")

        def cells(level: Level, entity: Mapping[str, Any] | None) -> list[str | int | float | None]:
            if entity is None:
                return [None] * len(_BY_LEVEL[level])
            return [format_cell(c.kind, _get(entity, c.local)) for c in _BY_LEVEL[level]]

        municipality = cells("municipality", record)
        offices = record.get("offices") or []
        if not offices:
            rows.append(municipality + cells("office", None) + cells("contact", None))
        for office in offices:
            head = municipality + cells("office", office)
            contacts = office.get("contacts") or []
            if not contacts:
                rows.append(head + cells("contact", None))
            rows.extend(head + cells("contact", contact) for contact in contacts)
    return rows


# --- reading -------------------------------------------------------------------------------


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _pad_key(text: str) -> str:
    if not _DIGITS.match(text):
        raise CellError("not a key: digits only", "kein Schlüssel: nur Ziffern")
    if len(text) <= 5:
        return text.zfill(5)
    if len(text) <= 8:
        return text.zfill(8)
    raise CellError("not a key: too many digits", "kein Schlüssel: zu viele Ziffern")


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_cell(kind: ColumnKind, value: Any) -> Any:
    """A non-blank cell as its column's kind; raises ``CellError`` with a value-free message."""
    if isinstance(value, Decimal):
        value = float(value)
    elif not isinstance(value, str | int | float | date | datetime):
        value = str(value)  # rich text, times: read as the text they show
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, str):
        value = value.strip()

    if kind in ("ags", "postal_code"):
        ags = kind == "ags"
        what_en, what_de = ("not a key", "kein Schlüssel") if ags else ("not a postal code", "keine PLZ")
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise CellError(what_en, what_de)
        if isinstance(value, float) and not value.is_integer():
            raise CellError(what_en, what_de)
        text = _number_text(value) if not isinstance(value, str) else value
        if kind == "postal_code":
            # Not padded: NRW's postal codes (32…–59…) never start with 0, so a short one is a
            # typo or a lost digit, not a leading 0 the spreadsheet dropped.
            if _DIGITS.match(text) and len(text) < 5:
                raise CellError("has fewer than 5 digits", "hat weniger als 5 Ziffern")
            return text
        return _pad_key(text)
    if kind == "phone":
        if not isinstance(value, str):
            raise CellError(
                "the spreadsheet turned this phone number into a number, losing its leading 0 or +",
                "die Tabelle hat die Telefonnummer in eine Zahl verwandelt "
                "und die führende 0 oder das + verloren",
            )
        return value
    if kind == "float":
        if isinstance(value, bool):
            raise CellError("not a number", "keine Zahl")
        if isinstance(value, str):
            text = value.replace(",", ".") if "." not in value and value.count(",") == 1 else value
            try:
                number = float(text)
            except ValueError:
                raise CellError("not a number", "keine Zahl") from None
        elif isinstance(value, int | float):
            number = float(value)
        else:
            raise CellError("not a number", "keine Zahl")
        if not math.isfinite(number):
            raise CellError("not a finite number", "keine endliche Zahl")
        return number
    if kind == "int":
        if isinstance(value, bool):
            raise CellError("not a whole number", "keine ganze Zahl")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _DIGITS.match(value):
            return int(value)
        raise CellError("not a whole number", "keine ganze Zahl")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        word = _number_text(value).lower() if isinstance(value, int | float) else str(value).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise CellError("not ja/nein (also accepted: true/false, yes/no, wahr/falsch, 1/0)",
                        "nicht ja/nein (auch angenommen: true/false, yes/no, wahr/falsch, 1/0)")
    if kind == "date":
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # a year Excel took for a number
        if isinstance(value, str):
            return _date_text(value)
        raise CellError("not a date", "kein Datum")
    if kind == "words":
        return str(value).split()
    if kind == "lines":
        return [line.strip() for line in str(value).splitlines() if line.strip()]
    if kind == "json":
        try:
            parsed = json.loads(str(value))
        except ValueError:
            raise CellError("not valid JSON", "kein gültiges JSON") from None
        if not isinstance(parsed, list) or not all(isinstance(item, dict) for item in parsed):
            raise CellError("not a JSON array of objects", "kein JSON-Array von Objekten")
        return parsed
    # text
    if isinstance(value, bool):
        return PUBLIC_YES if value else PUBLIC_NO
    if isinstance(value, int | float):
        return _number_text(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if kind == "url":
        return _url_text(value)
    return str(value)


@dataclass
class _Parsed:
    """One row's values of one level: parsed cells, and the columns that failed."""

    row: int
    values: dict[str, Any]
    failed: set[str]


@dataclass
class _Office:
    parsed: _Parsed
    contacts: list[_Parsed] = field(default_factory=list)


@dataclass
class _Municipality:
    parsed: _Parsed
    offices: dict[str, _Office] = field(default_factory=dict)
    contact_rows: dict[str, int] = field(default_factory=dict)


def _agree(first: _Parsed, other: _Parsed, names: Iterable[str], what: str, errors: list[RowError]) -> None:
    """Another row of the same municipality (or office): its non-empty cells must agree with the first's.

    An empty cell means "as the other rows say", so a new office or contact row needs only its
    ids and its own columns; a value only a later row gives is taken from there.
    """
    for name in names:
        if name in first.failed or name in other.failed or name not in other.values:
            continue
        if name not in first.values:
            first.values[name] = other.values[name]
        elif first.values[name] != other.values[name]:
            message = f"differs from row {first.row}; the rows of one {what} must agree"
            errors.append(RowError(name, message, row=other.row))


def _build(level: Level, values: Mapping[str, Any]) -> Record:
    entity: Record = {}
    for column in _BY_LEVEL[level]:
        if column.name in values:
            node = entity
            for key in column.local[:-1]:
                node = node.setdefault(key, {})
            node[column.local[-1]] = values[column.name]
    return entity


def from_rows(header: Sequence[Any], rows: Iterable[tuple[int, Sequence[Any]]]) -> ReadResult:
    """Records from a header row (row 1) and numbered data rows; blank rows are skipped."""
    errors: list[RowError] = []
    names: list[str | None] = []
    seen: set[str] = set()
    for position, cell in enumerate(header, start=1):
        name = str(cell).strip().lower() if not is_blank(cell) else None
        if name is not None and name not in COLUMNS_BY_NAME:
            errors.append(RowError(name, "unknown column; its values are ignored", row=1))
            name = None
        elif name is not None and name in seen:
            errors.append(RowError(name, f"appears twice in the header (again as column {position})", row=1))
            name = None
        elif name is not None:
            seen.add(name)
        names.append(name)
    if "id" not in seen:
        errors.append(RowError("id", "the header has no id column, so no row can be read", row=1))
        return ReadResult([], errors)

    present = [c for c in COLUMNS if c.name in seen]
    level_names = {level: [c.name for c in present if c.level == level] for level in _LEVELS}
    municipalities: dict[str, _Municipality] = {}

    for number, cells in rows:
        if all(is_blank(cell) for cell in cells):
            continue
        by_level: dict[Level, _Parsed] = {level: _Parsed(number, {}, set()) for level in _LEVELS}
        filled: set[Level] = set()
        for position, cell in enumerate(cells):
            name = names[position] if position < len(names) else None
            if is_blank(cell):
                continue
            if name is None:
                if position >= len(names) or header[position] is None or is_blank(header[position]):
                    errors.append(RowError(f"column {position + 1}", "a value in a column without a header",
                                           row=number))
                continue
            column = COLUMNS_BY_NAME[name]
            parsed = by_level[column.level]
            filled.add(column.level)
            try:
                parsed.values[name] = canonical_word(name, parse_cell(column.kind, cell))
            except CellError as problem:
                en, de = advised(name, str(problem), problem.de)
                errors.append(RowError(name, en, row=number, de=de))
                parsed.failed.add(name)

        own = by_level["municipality"]
        municipality_id = own.values.get("id")
        if municipality_id is None:
            if "id" not in own.failed:
                errors.append(RowError("id", "required on every row", row=number))
            continue
        municipality = municipalities.get(municipality_id)
        if municipality is None:
            municipality = municipalities[municipality_id] = _Municipality(own)
        else:
            _agree(municipality.parsed, own, level_names["municipality"], "municipality", errors)
        if not filled & {"office", "contact"}:
            continue

        office_values = by_level["office"]
        office_id = office_values.values.get("office_id")
        if office_id is None:
            if "office_id" not in office_values.failed:
                message = "required on a row with an office or a contact"
                errors.append(RowError("office_id", message, row=number))
            continue
        office = municipality.offices.get(office_id)
        if office is None:
            office = municipality.offices[office_id] = _Office(office_values)
        else:
            _agree(office.parsed, office_values, level_names["office"], "office", errors)
        if "contact" not in filled:
            continue

        contact = by_level["contact"]
        contact_id = contact.values.get("contact_id")
        if contact_id is not None:
            first = municipality.contact_rows.setdefault(contact_id, number)
            if first != number:
                errors.append(RowError("contact_id", f"appears again (first in row {first}); contact ids are "
                                                     "unique within a municipality", row=number))
                continue
        office.contacts.append(contact)

    records: list[Record] = []
    origins: dict[str, int] = {}
    revisions: dict[int, int] = {}  # the file's revision → the first row giving it
    for m_index, municipality in enumerate(municipalities.values()):
        where = f"/municipalities/{m_index}"
        record = _build("municipality", municipality.parsed.values)
        exported = record.pop(EXPORTED_REVISION, None)
        if isinstance(exported, int):
            revisions.setdefault(exported, municipality.parsed.row)
        origins[where] = municipality.parsed.row
        offices = []
        for o_index, office in enumerate(municipality.offices.values()):
            entry = _build("office", office.parsed.values)
            origins[f"{where}/offices/{o_index}"] = office.parsed.row
            if office.contacts:
                entry["contacts"] = [_build("contact", c.values) for c in office.contacts]
                for c_index, contact in enumerate(office.contacts):
                    origins[f"{where}/offices/{o_index}/contacts/{c_index}"] = contact.row
            offices.append(entry)
        if offices:
            record["offices"] = offices
        records.append(record)
    if len(revisions) > 1:
        first, second = sorted(revisions.values())[:2]
        errors.append(RowError(EXPORTED_REVISION, f"differs from row {first}; one file has one revision",
                               row=second))
    revision = next(iter(revisions)) if len(revisions) == 1 else None
    return ReadResult(records, errors, origins, revision)


def cell_needs_text_format(column: Column) -> bool:
    return column.kind not in NUMERIC_KINDS
