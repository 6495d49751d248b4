"""The NRW reference table: official keys (AGS), kinds, Regierungsbezirke, seats,
coordinates and population of every Kreis and kreisfreie Stadt, plus the
kreisangehörige participants. The import and the editing API alike check and complete
records by it (with_reference_facts).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.errors import InvalidRecord
from ..domain.vocabulary import MUNICIPALITY_ID_PATTERN

# The research table spells kinds as the Gemeindeverzeichnis does; the API uses five.
_KINDS = {
    "kreisfreie Stadt": "kreisfreie Stadt",
    "Kreis": "Kreis",
    "Kreis (Städteregion)": "StädteRegion",
    "kreisangehörige Stadt": "kreisangehörige Stadt",
    "kreisangehörige Gemeinde": "Gemeinde",
    # Aachen is "regionsangehörig" but has the legal status of a kreisfreie Stadt.
    "regionsangehörige Stadt (Rechtsstellung einer kreisfreien Stadt)": "kreisfreie Stadt",
}
POPULATION_AS_OF = "2019-12-31"  # Destatis Gemeindeverzeichnis, see data/SOURCES.md

# The kinds whose office can serve a kreisangehörige Kommune (participation.via).
KREIS_KINDS = ("Kreis", "StädteRegion")
# Coordinates agree when they name the same point to within about 100 m: a record may
# give fewer decimals than the table, never another place.
COORDINATE_TOLERANCE_DEGREES = 0.001


def _agrees(field: str, given: Any, fact: Any) -> bool:
    """Does a given value say what the reference table says? Exactly, but for rounding of coordinates."""
    if field == "coordinates":
        if not isinstance(given, dict) or set(given) != {"lat", "lon"}:
            return False
        try:
            return all(abs(float(given[axis]) - fact[axis]) <= COORDINATE_TOLERANCE_DEGREES for axis in fact)
        except (TypeError, ValueError):
            return False
    if field == "population":
        return isinstance(given, dict) and {k: str(v) for k, v in given.items()} == {
            k: str(v) for k, v in fact.items()
        }
    return bool(given == fact)


@dataclass(frozen=True)
class ReferenceEntry:
    ags: str
    name: str
    kind: str
    regierungsbezirk: str
    seat: str
    lat: float
    lon: float
    population: int

    def facts(self) -> dict[str, object]:
        """The record fields this entry vouches for."""
        return {
            "name": self.name,
            "kind": self.kind,
            "regierungsbezirk": self.regierungsbezirk,
            "seat": self.seat,
            "coordinates": {"lat": self.lat, "lon": self.lon},
            "population": {"count": self.population, "as_of": POPULATION_AS_OF},
        }


def load_reference(path: Path) -> dict[str, ReferenceEntry]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["ags"]: ReferenceEntry(
                ags=row["ags"],
                name=row["name"],
                kind=_KINDS[row["type"]],
                regierungsbezirk=row["regierungsbezirk"],
                seat=row["seat"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                population=int(row["population"]),
            )
            for row in csv.DictReader(handle)
        }


def named(record: dict[str, Any]) -> str:
    """How a message names a record: by its id if that is a well-formed key, never by other input."""
    municipality_id = record.get("id")
    if isinstance(municipality_id, str) and re.fullmatch(MUNICIPALITY_ID_PATTERN, municipality_id):
        return municipality_id
    return "a record with a malformed id"


def with_reference_facts(record: dict[str, Any], reference: dict[str, ReferenceEntry]) -> dict[str, Any]:
    """The record with the facts the reference table vouches for, which it must not contradict.

    InvalidRecord names the contradicting field in details.field, or none for a key the
    table does not know (the editing API turns both into pointers).
    """
    municipality_id = str(record.get("id", ""))
    entry = reference.get(municipality_id)
    if entry is not None:
        facts = entry.facts()
        for name, fact in facts.items():  # every field the table vouches for
            if name in record and not _agrees(name, record[name], fact):
                raise InvalidRecord(
                    # The table's fact, never the value given: messages reach clients and logs.
                    f"{municipality_id}: {name} contradicts the reference table ({fact!r})",
                    {"id": municipality_id, "field": name},
                )
        record = {**facts, **record}
    elif len(municipality_id) == 8 and municipality_id[:5] in reference:
        county = reference[municipality_id[:5]]
        if record.get("regierungsbezirk", county.regierungsbezirk) != county.regierungsbezirk:
            raise InvalidRecord(
                f"{named(record)}: Regierungsbezirk differs from its Kreis {county.name}",
                {"id": named(record), "field": "regierungsbezirk"},
            )
        record = {"regierungsbezirk": county.regierungsbezirk, **record}
    else:
        raise InvalidRecord(
            "the id is not an official key of the reference table",
            {},
        )
    return record
