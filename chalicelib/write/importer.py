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
from .reference import KREIS_KINDS, ReferenceEntry, load_reference, named, with_reference_facts
from .validation import message_of
from .writer import DirectoryWriter, ImportReport

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DEFAULT_REFERENCE = DATA_DIR / "nrw_kommunen.csv"
DEFAULT_DIRECTORY = DATA_DIR / "directory.json"


def _validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    # No "input" echo: these messages reach logs, and inputs may hold phone numbers.
    return [{"loc": ".".join(str(p) for p in e["loc"]), "msg": message_of(e)} for e in exc.errors()]


def complete(record: dict[str, Any], reference: dict[str, ReferenceEntry]) -> Municipality:
    """Check one raw record against the reference table, fill in its facts, validate it."""
    record = with_reference_facts(record, reference)
    try:
        return Municipality.model_validate(record)
    except ValidationError as exc:
        errors = _validation_details(exc)
        raise InvalidRecord(f"{named(record)}: invalid record", {"errors": errors}) from None


def check_via(municipalities: list[Municipality]) -> None:
    """Every ``participation.via`` names a Kreis that is itself in the directory.

    The model has checked that the Kommune's key starts with it; here the Kreis must be
    present, and be a Kreis (or the StädteRegion), since its office serves the Kommune.
    """
    by_id = {m.id: m for m in municipalities}
    for municipality in municipalities:
        via = municipality.participation.via
        if via is None:
            continue
        kreis = by_id.get(via)
        if kreis is None or kreis.kind not in KREIS_KINDS:
            raise InvalidRecord(
                f"{municipality.id}: participation.via {via} is not a Kreis in this directory",
                {"id": municipality.id, "field": "participation.via"},
            )


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
    check_via(municipalities)
    return municipalities


def load(
    writer: DirectoryWriter,
    path: Path = DEFAULT_DIRECTORY,
    *,
    prune: bool = False,
    reference_path: Path = DEFAULT_REFERENCE,
) -> ImportReport:
    return writer.import_all(read_directory(path, load_reference(reference_path)), prune=prune)
