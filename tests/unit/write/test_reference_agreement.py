"""Where a record gives a fact the reference table vouches for, it must agree with it."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.errors import InvalidRecord
from chalicelib.write import importer
from chalicelib.write.reference import load_reference

REFERENCE = load_reference(importer.DEFAULT_REFERENCE)
VIERSEN = "05166"


def record(**given: Any) -> dict[str, Any]:
    return {"id": VIERSEN, "participation": {"status": "reported"}, **given}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Kreis Nicht-Viersen"),
        ("name", "kreis viersen"),
        ("kind", "kreisfreie Stadt"),
        ("regierungsbezirk", "Köln"),
        ("seat", "Mönchengladbach"),
        ("coordinates", {"lat": 51.0, "lon": 6.3}),
        ("population", {"count": 1, "as_of": "2019-12-31"}),
        ("population", {"count": REFERENCE[VIERSEN].population, "as_of": "2020-12-31"}),
    ],
)
def test_a_contradicting_fact_is_refused_naming_the_field(field: str, value: Any) -> None:
    with pytest.raises(InvalidRecord) as raised:
        importer.complete(record(**{field: value}), REFERENCE)
    assert raised.value.details == {"id": VIERSEN, "field": field}


def test_agreeing_facts_are_accepted() -> None:
    facts = REFERENCE[VIERSEN].facts()
    municipality = importer.complete(record(**facts), REFERENCE)
    assert municipality.name == "Kreis Viersen"
    coordinates = facts["coordinates"]
    assert isinstance(coordinates, dict)
    # the same point written with fewer or more decimals agrees
    rounded = {"lat": round(coordinates["lat"], 4), "lon": round(coordinates["lon"], 4)}
    assert importer.complete(record(coordinates=rounded), REFERENCE).coordinates.lat == rounded["lat"]
