"""The NRW reference table: official keys (AGS), kinds, Regierungsbezirke, seats,
coordinates and population of every Kreis and kreisfreie Stadt, plus the
kreisangehörige participants. Used on the write path to check and complete records.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

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
