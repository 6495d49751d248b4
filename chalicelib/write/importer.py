"""Import path: a directory file (JSON) checked against the NRW reference table, into DynamoDB.

The file holds {"municipalities": [...]}, each record in the API's shape. Facts the
reference table vouches for (name, kind, Regierungsbezirk, seat, coordinates,
population) may be left out and are filled in; where given they must agree. A
kreisangehörige municipality (8-digit AGS) outside the table must belong to a
Kreis in it. Nothing is written unless every record validates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..domain.errors import InvalidRecord
from .models import Municipality
from .reference import ReferenceEntry, load_reference
from .validation import details_of
from .writer import DirectoryWriter, ImportReport

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DEFAULT_REFERENCE = DATA_DIR / "nrw_kommunen.csv"
DEFAULT_DIRECTORY = DATA_DIR / "directory.json"

_CHECKED_FIELDS = ("kind", "regierungsbezirk")


def _field_error(municipality_id: str, name: str, message: str, kind: str) -> dict[str, Any]:
    """Details in the shape every 422 has: errors[] with JSON pointers (validation.details_of)."""
    return {
        "id": municipality_id,
        "field": name,
        "errors": [{"pointer": f"/{name}", "message": message, "type": kind}],
    }


def complete(record: dict[str, Any], reference: dict[str, ReferenceEntry]) -> Municipality:
    """Check one raw record against the reference table, fill in its facts, validate it."""
    municipality_id = str(record.get("id", ""))
    entry = reference.get(municipality_id)
    if entry is not None:
        facts = entry.facts()
        for name in _CHECKED_FIELDS:
            if name in record and record[name] != facts[name]:
                raise InvalidRecord(
                    f"{municipality_id}: {name} {record[name]!r} contradicts "
                    f"the reference table ({facts[name]!r})",
                    _field_error(
                        municipality_id, name, "contradicts the reference table", "reference_mismatch"
                    ),
                )
        record = {**facts, **record}
    elif len(municipality_id) == 8 and municipality_id[:5] in reference:
        county = reference[municipality_id[:5]]
        if record.get("regierungsbezirk", county.regierungsbezirk) != county.regierungsbezirk:
            raise InvalidRecord(
                f"{municipality_id}: Regierungsbezirk differs from its Kreis {county.name}",
                _field_error(
                    municipality_id, "regierungsbezirk", "differs from its Kreis's", "reference_mismatch"
                ),
            )
        record = {"regierungsbezirk": county.regierungsbezirk, **record}
    else:
        raise InvalidRecord(
            f"{municipality_id or '(no id)'} is not an official key of the reference table",
            _field_error(municipality_id, "id", "not an official key of the reference table", "unknown_key"),
        )
    try:
        return Municipality.model_validate(record)
    except ValidationError as exc:
        # Pointers and messages, never the submitted values: these details reach clients and logs.
        raise InvalidRecord(f"{municipality_id}: invalid record", {"errors": details_of(exc)}) from None


def read_directory(path: Path, reference: dict[str, ReferenceEntry]) -> list[Municipality]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidRecord(f"cannot read {path}: {exc}") from None
    records = raw.get("municipalities") if isinstance(raw, dict) else None
    if not isinstance(records, list):
        raise InvalidRecord(f'{path}: expected {{"municipalities": [...]}}')
    municipalities = [complete(record, reference) for record in records]
    ids = [m.id for m in municipalities]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InvalidRecord(f"{path}: duplicate ids {duplicates}", {"ids": duplicates})
    return municipalities


def load(
    writer: DirectoryWriter,
    path: Path = DEFAULT_DIRECTORY,
    *,
    prune: bool = False,
    reference_path: Path = DEFAULT_REFERENCE,
) -> ImportReport:
    return writer.import_all(read_directory(path, load_reference(reference_path)), prune=prune)
