"""Records → file → records gives the same records, in every format (property-tested)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from admin.formats import FORMATS, Format, canonical, read_bytes, sort_by_id, write_bytes, write_csv
from admin.formats.csv_file import read_csv
from chalicelib.write.models import Municipality
from tests.unit.admin.strategies import directories

# Whole directories are costly examples: a fifth of what the profile (dev or ci) gives a test.
EXAMPLES = max(8, settings().max_examples // 5)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(records=directories())
def test_every_format_gives_back_the_records(fmt: Format, records: list[dict[str, Any]]) -> None:
    result = read_bytes(write_bytes(records, fmt), fmt)
    assert result.errors == []
    assert result.records == sort_by_id(records)


@SETTINGS
@given(records=directories())
def test_comma_separated_csv_reads_back_too(records: list[dict[str, Any]]) -> None:
    result = read_csv(write_csv(records, delimiter=","))
    assert result.errors == []
    assert result.records == sort_by_id(records)


@settings(max_examples=EXAMPLES, deadline=None)
@given(records=directories())
def test_generated_records_are_admissible(records: list[dict[str, Any]]) -> None:
    # The generator stays inside what the write-side models accept, so the round trips
    # above are about records that could really be stored.
    # Facts a file may leave to the reference table are filled in here, as the import does.
    facts = {
        "name": "Testgemeinde",
        "kind": "Gemeinde",
        "regierungsbezirk": "Köln",
        "seat": "Testgemeinde",
        "coordinates": {"lat": 50.9, "lon": 6.9},
    }
    for record in records:
        Municipality.model_validate({**facts, **record})


@settings(max_examples=EXAMPLES, deadline=None)
@given(records=directories())
def test_json_bytes_are_stable(records: list[dict[str, Any]]) -> None:
    once = write_bytes(records, "json")
    assert write_bytes(list(reversed(records)), "json") == once
    assert write_bytes(read_bytes(once, "json").records, "json") == once
    assert json.loads(once) == {"municipalities": sort_by_id(records)}


def test_canonical_drops_what_a_table_cannot_tell_from_absent() -> None:
    record = {
        "id": "05999",
        "participation": {"status": "confirmed", "since": None, "milestones": [], "sources": []},
        "offices": [],
    }
    assert canonical(record) == {"id": "05999", "participation": {"status": "confirmed"}}
    for fmt in ("csv", "xlsx"):
        assert read_bytes(write_bytes([record], fmt), fmt).records == [canonical(record)]
