"""A directory file checked as a whole before anything is written.

Every record goes through the write side's own checks — the reference table and the models
(``chalicelib.write.importer.complete``) — and then the checks that need the whole directory:
municipality ids once per file, office and contact ids unique across the directory (the file
together with the stored municipalities it leaves in place), and ``participation.via`` naming a
Kreis of the directory (``check_via``). Every problem is collected, not just the first, and
reported where it is in the file — a spreadsheet row, or a JSON pointer for JSON — with its
column or field. Messages never carry a value from the file: values are personal data.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from admin.formats import COLUMNS, ReadResult, RowError, column_at
from admin.formats.forms import advised
from chalicelib.domain.entries import Json
from chalicelib.domain.errors import InvalidRecord
from chalicelib.write.importer import check_via, complete
from chalicelib.write.models import Municipality
from chalicelib.write.reference import ReferenceEntry
from chalicelib.write.validation import strip_read_only
from chalicelib.write.writer import content_of


@dataclass
class Checked:
    """The file's municipalities, validated, or the reasons they are not.

    ``contents`` is what the import would store for each municipality, in the normal form of
    ``admin.stored`` — except that contacts the file lists without an id (new ones; the
    import assigns their id) keep none, so a dry run shows them as new contacts.
    """

    municipalities: list[Municipality] = field(default_factory=list)
    contents: list[Json] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def entries(self) -> int:
        """Municipalities, offices and contacts: a file's size in rows, near enough."""
        return sum(1 + len(m.offices) + sum(len(o.contacts) for o in m.offices) for m in self.municipalities)


class _Locator:
    """Turns a pointer inside record ``index`` into a RowError at the file's row or pointer."""

    def __init__(self, result: ReadResult, table: bool) -> None:
        self._result = result
        self._table = table

    @property
    def table(self) -> bool:
        return self._table

    def error(
        self, index: int, inner: str, message: str, field_name: str | None = None, de: str | None = None
    ) -> RowError:
        pointer = f"/municipalities/{index}{inner}"
        if self._table:
            name = (_sheet_columns(inner) if inner else "") or field_name or _last_name(inner)
            return RowError(name, message, row=self._result.row_of(pointer), de=de)
        return RowError(field_name or _last_name(inner), message, pointer=pointer, de=de)

    def advised(self, index: int, inner: str, problem_en: str, problem_de: str, field_name: str) -> RowError:
        """An error told with what the column expects, in a table; as it is, in JSON."""
        error = self.error(index, inner, problem_en, field_name, problem_de)
        if not self._table:
            return error
        en, de = advised(error.column, problem_en, problem_de)
        return RowError(error.column, en, row=error.row, de=de)

    def where(self, index: int, inner: str = "") -> tuple[str, str]:
        """How a message refers to another place in the same file: (English, German)."""
        pointer = f"/municipalities/{index}{inner}"
        if self._table:
            row = self._result.row_of(pointer)
            return (f"row {row}", f"Zeile {row}") if row is not None else (pointer, pointer)
        return pointer, pointer


def _sheet_columns(inner: str) -> str:
    """The column(s) a field is in, as the sheet names them: /coordinates → "lat, lon"."""
    column = column_at(inner)
    if column is not None:
        return column.name
    parts = tuple("*" if p.isdigit() else p for p in inner.strip("/").split("/") if p)
    return ", ".join(c.name for c in COLUMNS if c.path[: len(parts)] == parts)


def _last_name(pointer: str) -> str:
    names = [p for p in pointer.split("/") if p and not p.isdigit()]
    return names[-1] if names else ""


def _value_at(record: Any, path: list[str]) -> Any:
    for part in path:
        if isinstance(record, dict):
            record = record.get(part)
        elif isinstance(record, list) and part.isdigit() and int(part) < len(record):
            record = record[int(part)]
        else:
            return None
    return record


def _safe(message: str, value: Any, name: str) -> str:
    """The validator's message, unless it might quote the value (e-mail validators do)."""
    if name == "email":
        return "not a valid e-mail address"
    if isinstance(value, str) and value.strip():
        parts = [value.strip(), *(p for p in re.split(r"[\s@]+", value) if len(p) > 3)]
        if any(part in message for part in parts):
            return "invalid value"
    return message


def _fact_text(fact: Any) -> str:
    """A reference-table fact as a clerk would type it (the table's value, never the file's)."""
    if isinstance(fact, dict):
        if set(fact) >= {"count"}:
            return f"{fact['count']}" + (f" ({fact['as_of']})" if fact.get("as_of") else "")
        return ", ".join(f"{key} {value}" for key, value in fact.items())
    return str(fact)


def _record_errors(
    exc: InvalidRecord, raw: Json, index: int, at: _Locator, reference: Mapping[str, ReferenceEntry]
) -> Iterator[RowError]:
    """complete()'s verdict on one record, located; its own texts are not used (they quote values)."""
    details = exc.details
    if "errors" in details:
        for item in details["errors"]:
            loc = [p for p in str(item.get("loc", "")).split(".") if p]
            inner = "".join(f"/{p}" for p in loc)
            name = loc[-1] if loc and not loc[-1].isdigit() else _last_name(inner)
            message = str(item.get("msg", ""))
            if not at.table:
                yield at.error(index, inner, _safe(message, _value_at(raw, loc), name))
            elif "required" in message.lower():
                yield at.advised(index, inner, "is missing", "fehlt", name)
            else:
                yield at.advised(index, inner, "cannot be used as it is", "ist so nicht verwendbar", name)
    elif "field" in details:
        name = str(details["field"])
        entry = reference.get(str(raw.get("id", "")))
        fact = entry.facts().get(name) if entry is not None else None
        says_en = f", which says {_fact_text(fact)}" if fact is not None else ""
        says_de = f" (dort steht {_fact_text(fact)})" if fact is not None else ""
        yield at.error(
            index, f"/{name}",
            f"differs from the reference table{says_en}; leave it empty and the reference table fills it in",
            name,
            f"weicht von der Referenztabelle ab{says_de}; "
            "leer lassen, dann ergänzt die Referenztabelle den Wert",
        )
    else:
        yield at.advised(
            index,
            "/id",
            "not an official key (AGS) of the reference table, nor of a Kommune in one of its Kreise",
            "kein Amtlicher Gemeindeschlüssel der Referenztabelle "
            "und keiner einer Kommune in einem ihrer Kreise",
            "id",
        )


def _completed(
    raw: Json, reference: Mapping[str, ReferenceEntry], index: int, at: _Locator
) -> tuple[Municipality | None, list[RowError]]:
    """complete() on one record, and every error it has to say.

    complete() stops at a contradiction with the reference table; the record is then tried
    again without the contradicting field, so the models' errors are reported in the same run.
    """
    errors: list[RowError] = []
    record = copy.deepcopy(raw)
    while True:
        try:
            municipality = complete(copy.deepcopy(record), dict(reference))
        except InvalidRecord as exc:
            errors.extend(_record_errors(exc, raw, index, at, reference))
            name = exc.details.get("field")
            if "errors" in exc.details or not isinstance(name, str) or name not in record:
                return None, errors
            del record[name]
            continue
        return (None if errors else municipality), errors


def _without_new_contact_ids(content: Json, raw: Json) -> Json:
    """The content with the ids the models just made up for contacts the file lists without one."""
    shown = copy.deepcopy(content)
    raw_offices = raw.get("offices")
    for office, raw_office in zip(shown.get("offices", []), _listed(raw_offices), strict=False):
        raw_contacts = raw_office.get("contacts") if isinstance(raw_office, dict) else None
        for contact, raw_contact in zip(office.get("contacts", []), _listed(raw_contacts), strict=False):
            if isinstance(raw_contact, dict) and not raw_contact.get("id"):
                contact.pop("id", None)
    return shown


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _kreis_models(stored: Mapping[str, Json]) -> dict[str, Municipality]:
    """Stored Kreise as models, for check_via (stored content was validated when written)."""
    models = {}
    for municipality_id, content in stored.items():
        if len(municipality_id) == 5:
            try:
                models[municipality_id] = Municipality.model_validate(content)
            except ValidationError:
                continue  # not a valid Kreis any more: via cannot name it
    return models


def check(
    result: ReadResult,
    reference: Mapping[str, ReferenceEntry],
    stored: Mapping[str, Json],
    *,
    table: bool,
    prune: bool = False,
) -> Checked:
    """Check a file read by ``admin.formats`` against the reference table and the stored directory.

    ``stored`` holds the living municipalities' content by id (``StoredDirectory.contents()``);
    those the file does not list stay in the directory (unless ``prune``), so their office
    and contact ids stay taken.
    """
    at = _Locator(result, table)
    checked = Checked(errors=list(result.errors))
    valid: list[tuple[int, Municipality]] = []
    listed_raw: list[tuple[int, Json]] = []
    first_row: dict[str, int] = {}
    for index, original in enumerate(result.records):
        raw: Json = strip_read_only(original)  # as the editing API: read-only fields may come back
        municipality_id = str(raw.get("id", ""))
        if municipality_id and municipality_id in first_row:
            before_en, before_de = at.where(first_row[municipality_id])
            checked.errors.append(
                at.error(index, "/id", f"listed before, at {before_en}", "id",
                         f"schon aufgeführt, in {before_de}")
            )
            continue
        if municipality_id:
            first_row[municipality_id] = index
        listed_raw.append((index, raw))
        municipality, errors = _completed(raw, reference, index, at)
        checked.errors.extend(errors)
        if municipality is None:
            continue
        valid.append((index, municipality))
        checked.municipalities.append(municipality)
        checked.contents.append(_without_new_contact_ids(content_of(municipality), raw))

    listed = {m.id for _, m in valid} | set(first_row)
    kept = {} if prune else {k: v for k, v in stored.items() if k not in listed}
    checked.errors.extend(_id_clashes(listed_raw, kept, at))
    checked.errors.extend(_via_errors(valid, kept, set(first_row) - {m.id for _, m in valid}, at))
    checked.errors = _one_per_mistake(checked.errors)
    if table:
        checked.errors.sort(key=lambda e: e.row or 0)
    return checked


def _one_per_mistake(errors: list[RowError]) -> list[RowError]:
    """The first error at each place and column: a cell the reader refused is not reported again
    by the models (an unreadable population is not also a missing one)."""
    seen: set[tuple[int | None, str | None, str]] = set()
    kept = []
    for error in errors:
        keys = {(error.row, error.pointer, name.strip()) for name in error.column.split(",")}
        if not keys & seen:  # "population, population_as_of" overlaps "population"
            kept.append(error)
        seen |= keys
    return kept


def _entry_ids(raw: Json) -> Iterator[tuple[str, str, str]]:
    """(id, pointer, what) of the offices and contacts a record gives an id (new contacts have none)."""
    for o, office in enumerate(_listed(raw.get("offices"))):
        if not isinstance(office, dict):
            continue
        if isinstance(office.get("id"), str) and office["id"]:
            yield office["id"], f"/offices/{o}/id", "office id"
        for n, contact in enumerate(_listed(office.get("contacts"))):
            if isinstance(contact, dict) and isinstance(contact.get("id"), str) and contact["id"]:
                yield contact["id"], f"/offices/{o}/contacts/{n}/id", "contact id"


def _id_clashes(listed: list[tuple[int, Json]], kept: Mapping[str, Json], at: _Locator) -> Iterator[RowError]:
    """Office and contact ids are unique across the directory (as the editing API keeps them).

    Checked on every record the file lists, valid or not, so one run reports everything.
    """
    owners: dict[str, str] = {}
    for municipality_id, content in kept.items():
        for entry_id, _, _ in _entry_ids(content):
            owners[entry_id] = f"municipality {municipality_id} in the directory"
    for index, raw in listed:
        mine: dict[str, str] = {}
        for entry_id, inner, what in _entry_ids(raw):
            owner = owners.get(entry_id)
            if owner is not None:
                german = "diese Kennung" if what.endswith("id") else what
                yield at.error(index, inner, f"this {what} is taken by {owner}", "id",
                               f"{german} ist schon vergeben ({owner})")
            else:
                mine[entry_id] = f"municipality {raw.get('id')} ({at.where(index, inner)[0]})"
        owners.update(mine)


def _via_errors(
    valid: list[tuple[int, Municipality]], kept: Mapping[str, Json], invalid: set[str], at: _Locator
) -> Iterator[RowError]:
    """participation.via names a Kreis of the directory — the file's or one stored and kept.

    A Kreis the file lists but that failed its own checks has its errors reported already.
    """
    kreise = _kreis_models(kept)
    kreise.update({m.id: m for _, m in valid if len(m.id) == 5})
    for index, municipality in valid:
        via = municipality.participation.via
        if via is None or via in invalid:
            continue
        try:
            check_via([municipality, *([kreise[via]] if via in kreise else [])])
        except InvalidRecord:
            yield at.error(
                index, "/participation/via", "names no Kreis of the directory (nor of this file)", "via",
                "nennt keinen Kreis des Verzeichnisses (auch keinen dieser Datei)",
            )
