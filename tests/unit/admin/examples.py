"""Hand-written synthetic records for the example tests (keys under the imaginary Kreis 05999)."""

from __future__ import annotations

from typing import Any

PHONE = "0221 5550123"  # synthetic: Köln's area code, made-up digits
NOTE = 'Eingang „Hof“; 2. OG, Raum 3,\nbitte "klingeln" – Zugang über die Rampe'


def kreis() -> dict[str, Any]:
    return {
        "id": "05999",
        "name": "Kreis Übungshausen-Süß",
        "kind": "Kreis",
        "regierungsbezirk": "Köln",
        "seat": "Übungshausen",
        "coordinates": {"lat": 50.93811, "lon": 6.957068},
        "population": {"count": 123456, "as_of": "2019-12-31"},
        "website": "https://example.org/kreis",
        "participation": {
            "status": "confirmed",
            "since": "2019-02",
            "milestones": [
                {
                    "kind": "starter_workshop",
                    "date": "2019-02-20",
                    "label": "STARTER-Workshop; „Auftakt“, Saal 1",
                }
            ],
            "sources": ["https://example.org/a", "https://example.org/b?x=1"],
        },
        "offices": [
            {
                "id": "ki-uebungshausen",
                "name": "Kommunales Integrationszentrum Übungshausen; Straße, Größe",
                "role": "geschäftsführende Stelle",
                "address": {
                    "street": "Weißdornstraße 1",
                    "postal_code": "01234",
                    "locality": "Übungshausen",
                    "note": NOTE,
                },
                "phone": PHONE,
                "fax": "+49 221 5550124",
                "email": "ki@example.org",
                "contacts": [
                    {
                        "id": "c-0001",
                        "title": "Dr.",
                        "given_name": "Jürgen",
                        "family_name": "Groß-Straßer",
                        "function": 'Teilhabemanagement, "THM"; Koordination',
                        "phone": PHONE,
                        "email": "j.gross@example.org",
                        "languages": ["de", "ar", "fa-AF"],
                        "topics": ["Arbeit; Ausbildung", "Integration, Sprache", "A|B"],
                        "public": True,
                    },
                    {
                        "id": "c-0002",
                        "given_name": '=HYPERLINK("x")',
                        "family_name": "@Müller",
                        "public": False,
                    },
                ],
            },
            {"id": "amt-ohne-personen", "name": "Amt ohne Ansprechperson"},
        ],
    }


def kommune() -> dict[str, Any]:
    """A kreisangehörige Kommune taking part through its Kreis: no offices of its own."""
    return {"id": "05999001", "participation": {"status": "confirmed", "via": "05999"}}
