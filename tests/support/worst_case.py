"""The largest records the write model admits, for tests of what must hold even then."""

from __future__ import annotations

from typing import Any

CJK = "漢字氏名漢字氏名漢字氏名"


def cjk(length: int) -> str:
    return (CJK * (length // len(CJK) + 1))[:length]


def worst_case_record() -> dict[str, Any]:
    """The largest contact the write model admits, in three-octet characters where text goes."""
    return {
        "id": "05999001",
        "name": cjk(200),
        "kind": "Kreis",
        "regierungsbezirk": "Köln",
        "seat": cjk(120),
        "coordinates": {"lat": 50.9, "lon": 6.9},
        "participation": {"status": "reported"},
        "website": "https://example.org/" + "w" * 2000,
        "offices": [
            {
                "id": "office-worst",
                "name": cjk(200),
                "role": cjk(120),
                "address": {
                    "street": cjk(120),
                    "postal_code": "50667",
                    "locality": cjk(120),
                    "region": cjk(120),
                    "note": cjk(1000),
                },
                "phone": "+49 221 5550100",
                "fax": "+49 221 5550199",
                "email": "office@example.org",
                "website": "https://example.org/" + "o" * 2000,
                "contacts": [
                    {
                        "id": "c-worst",
                        "title": cjk(120),
                        "given_name": cjk(200),
                        "family_name": cjk(200),
                        "function": cjk(200),
                        "phone": "+49 221 5550101",
                        "fax": "+49 221 5550102",
                        "email": ("m" * 64) + "@" + ".".join(["d" * 60] * 3) + ".org",
                        "languages": ["ar", "fa-AF", "de", "en", "ti", "tr", "uk", "ru", "fr", "ku"],
                        "topics": [cjk(60 - n) for n in range(30)],
                        "public": True,
                    }
                ],
            }
        ],
    }
