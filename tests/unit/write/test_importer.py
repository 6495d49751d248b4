"""The import path's checks against the NRW reference table (no DynamoDB involved)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.errors import InvalidRecord
from chalicelib.write import importer
from chalicelib.write.reference import load_reference

REFERENCE = load_reference(importer.DEFAULT_REFERENCE)
PARTICIPATION = {"status": "reported"}


def test_reference_table_holds_all_53_kreise_and_kreisfreie_staedte() -> None:
    five_digit = [e for e in REFERENCE.values() if len(e.ags) == 5]
    assert len(five_digit) == 53
    assert {e.regierungsbezirk for e in five_digit} == {
        "Arnsberg",
        "Detmold",
        "Düsseldorf",
        "Köln",
        "Münster",
    }
    assert sum(e.kind == "kreisfreie Stadt" for e in five_digit) == 22


def test_shipped_directory_is_valid_and_sourced() -> None:
    municipalities = importer.read_directory(importer.DEFAULT_DIRECTORY, REFERENCE)
    assert len(municipalities) == 18
    assert all(m.participation.sources for m in municipalities)
    people = [c for m in municipalities for o in m.offices for c in o.contacts]
    assert [(c.given_name, c.family_name) for c in people] == [("Stephanie", "Hieronimus")]


def test_reference_facts_are_filled_in() -> None:
    municipality = importer.complete({"id": "05913", "participation": PARTICIPATION}, REFERENCE)
    assert municipality.name == "Stadt Dortmund"
    assert municipality.regierungsbezirk == "Arnsberg"
    assert municipality.population is not None
    assert municipality.population.count == 588250


def test_a_contradiction_with_the_reference_is_rejected() -> None:
    with pytest.raises(InvalidRecord, match="regierungsbezirk"):
        importer.complete(
            {"id": "05913", "regierungsbezirk": "Köln", "participation": PARTICIPATION}, REFERENCE
        )


def test_unknown_official_keys_are_rejected() -> None:
    with pytest.raises(InvalidRecord, match="not an official key"):
        importer.complete({"id": "05999", "participation": PARTICIPATION}, REFERENCE)


def test_a_gemeinde_must_belong_to_a_known_kreis() -> None:
    record: dict[str, Any] = {
        "id": "05566076",
        "name": "Stadt Rheine",
        "kind": "kreisangehörige Stadt",
        "seat": "Rheine",
        "coordinates": {"lat": 52.28, "lon": 7.44},
        "participation": PARTICIPATION,
    }
    assert importer.complete(record, REFERENCE).regierungsbezirk == "Münster"
    with pytest.raises(InvalidRecord, match="Regierungsbezirk"):
        importer.complete({**record, "regierungsbezirk": "Köln"}, REFERENCE)


def test_validation_errors_do_not_echo_inputs(tmp_path: Path) -> None:
    path = tmp_path / "directory.json"
    secret = "0251 000000000000000000"
    record = {
        "id": "05515",
        "participation": PARTICIPATION,
        "offices": [{"id": "o-1", "name": "Amt", "phone": secret}],
    }
    path.write_text(json.dumps({"municipalities": [record]}), encoding="utf-8")
    with pytest.raises(InvalidRecord) as raised:
        importer.read_directory(path, REFERENCE)
    assert secret not in json.dumps(raised.value.details)
    assert "/offices/0/phone" in json.dumps(raised.value.details)


@pytest.mark.parametrize(
    ("record", "pointer"),
    [
        ({"id": "05566"}, "/participation"),
        ({"id": "05913", "regierungsbezirk": "Köln", "participation": PARTICIPATION}, "/regierungsbezirk"),
        ({"id": "05999", "participation": PARTICIPATION}, "/id"),
        ({"id": "05566076", "regierungsbezirk": "Köln", "participation": PARTICIPATION}, "/regierungsbezirk"),
    ],
)
def test_every_rejection_lists_its_fields_as_json_pointers(record: dict[str, Any], pointer: str) -> None:
    # The editing API answers these as 422s: the same errors[] as every other invalid write
    # (schemathesis found a PUT answered with {"loc", "msg"} items instead).
    with pytest.raises(InvalidRecord) as raised:
        importer.complete(record, REFERENCE)
    errors = raised.value.details["errors"]
    assert [set(error) for error in errors] == [{"pointer", "message", "type"}] * len(errors)
    assert pointer in [error["pointer"] for error in errors]


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "directory.json"
    record = {"id": "05515", "participation": PARTICIPATION}
    path.write_text(json.dumps({"municipalities": [record, record]}), encoding="utf-8")
    with pytest.raises(InvalidRecord, match="duplicate"):
        importer.read_directory(path, REFERENCE)
