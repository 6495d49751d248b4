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
    assert len(municipalities) == 37
    assert all(m.participation.sources for m in municipalities)
    via_kreis = [m for m in municipalities if m.participation.via]
    assert len(via_kreis) == 9 and not any(m.offices for m in via_kreis)  # round 3: Eschweiler on its own
    people = [c for m in municipalities for o in m.offices for c in o.contacts]
    assert sorted((c.given_name, c.family_name) for c in people) == [
        ("Marco", "Klever"), ("Stephanie", "Hieronimus")]


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
    # A synthetic key under Kreis Steinfurt that no Gemeinde has and the table does not list.
    record: dict[str, Any] = {
        "id": "05566999",
        "name": "Testgemeinde (synthetisch)",
        "kind": "Gemeinde",
        "seat": "Testgemeinde",
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
    assert "offices.0.phone" in json.dumps(raised.value.details)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "directory.json"
    record = {"id": "05515", "participation": PARTICIPATION}
    path.write_text(json.dumps({"municipalities": [record, record]}), encoding="utf-8")
    with pytest.raises(InvalidRecord, match="duplicate"):
        importer.read_directory(path, REFERENCE)


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"municipalities": records}), encoding="utf-8")
    return path


def test_participation_via_needs_its_kreis_in_the_directory(tmp_path: Path) -> None:
    kommune = {"id": "05974040", "participation": {"status": "confirmed", "via": "05974"}}
    kreis = {"id": "05974", "participation": {"status": "confirmed"}}
    both = importer.read_directory(_write(tmp_path / "both.json", [kreis, kommune]), REFERENCE)
    assert [m.participation.via for m in both] == [None, "05974"]
    with pytest.raises(InvalidRecord, match=r"via 05974 is not a Kreis in this directory"):
        importer.read_directory(_write(tmp_path / "alone.json", [kommune]), REFERENCE)


def test_participation_via_must_name_a_kreis_not_a_kreisfreie_stadt() -> None:
    city = importer.complete({"id": "05111", "participation": PARTICIPATION}, REFERENCE)
    synthetic = {
        "id": "05111000",
        "name": "Testgemeinde (synthetisch)",
        "kind": "Gemeinde",
        "seat": "Testgemeinde",
        "coordinates": {"lat": 51.2, "lon": 6.8},
        "participation": {**PARTICIPATION, "via": "05111"},
    }
    kommune = importer.complete(synthetic, REFERENCE)
    with pytest.raises(InvalidRecord, match="not a Kreis"):
        importer.check_via([city, kommune])
