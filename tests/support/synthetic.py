"""Clearly synthetic directory records for tests and benchmarks (Faker, fixed seed).

Never real people: names come from Faker, mail goes to example.org (reserved for
documentation), phone numbers use Köln's area code with random subscriber digits.
"""

from __future__ import annotations

import random
from typing import Any

from faker import Faker

from chalicelib.domain.vocabulary import KINDS, REGIERUNGSBEZIRKE
from chalicelib.write.models import Municipality

TOPICS = ("Arbeit", "Integration", "Bildung", "Sprache", "Ehrenamt", "Wohnen", "Gesundheit")
LANGUAGES = ("de", "en", "ar", "fa", "ti", "tr", "uk", "ru", "fr", "ku")


class Synthetic:
    def __init__(self, seed: int = 20190220) -> None:
        self.faker = Faker("de_DE")
        self.faker.seed_instance(seed)
        self.random = random.Random(seed)
        self._serial = 0

    def _next_id(self) -> str:
        self._serial += 1
        # 8-digit keys under the imaginary Kreis 05999, so they never collide with real AGS.
        return f"05999{self._serial:03d}" if self._serial < 1000 else f"059{self._serial:05d}"

    def phone(self) -> str:
        return f"+49 221 {self.random.randint(1000000, 9999999)}"

    def contact(self, *, public: bool = True, **overrides: Any) -> dict[str, Any]:
        given, family = self.faker.first_name(), self.faker.last_name()
        record = {
            "id": f"c-syn{self.random.getrandbits(64):016x}",
            "given_name": given,
            "family_name": family,
            "function": self.random.choice(["Teilhabemanagement", "Koordination", "Bildungsberatung"]),
            "phone": self.phone(),
            "fax": self.phone(),
            "email": f"{self.faker.user_name()}@example.org",
            "languages": self.random.sample(LANGUAGES, 2),
            "topics": self.random.sample(TOPICS, 2),
            "public": public,
        }
        record.update(overrides)
        return record

    def municipality(self, *, contacts: int = 2, **overrides: Any) -> dict[str, Any]:
        municipality_id = overrides.pop("id", None) or self._next_id()
        city = self.faker.city()
        kind = overrides.pop("kind", None) or self.random.choice(KINDS)
        record = {
            "id": municipality_id,
            "name": f"Stadt {city}" if "Stadt" in kind else f"Kreis {city}" if kind == "Kreis" else city,
            "kind": kind,
            "regierungsbezirk": self.random.choice(REGIERUNGSBEZIRKE),
            "seat": city,
            "coordinates": {
                "lat": round(self.random.uniform(50.32, 52.53), 6),
                "lon": round(self.random.uniform(5.87, 9.46), 6),
            },
            "population": {"count": self.random.randint(5000, 600000), "as_of": "2019-12-31"},
            "participation": {"status": "reported"},
            "offices": [
                {
                    "id": f"office-{municipality_id}",
                    "name": f"Kommunales Integrationszentrum {city}",
                    "role": "geschäftsführende Stelle",
                    "address": {
                        "street": self.faker.street_address(),
                        "postal_code": self.faker.postcode(),
                        "locality": city,
                    },
                    "phone": self.phone(),
                    "email": f"ki-{municipality_id}@example.org",
                    "contacts": [self.contact() for _ in range(contacts)],
                }
            ],
        }
        record.update(overrides)
        return record

    def model(self, **kwargs: Any) -> Municipality:
        return Municipality.model_validate(self.municipality(**kwargs))
