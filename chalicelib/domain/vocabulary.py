"""The directory's fixed vocabulary, once: kinds, Regierungsbezirke and id patterns.

The write models, query parsing and the reference table all take these from here.
"""

from __future__ import annotations

import re

KINDS = ("kreisfreie Stadt", "Kreis", "StädteRegion", "kreisangehörige Stadt", "Gemeinde")
REGIERUNGSBEZIRKE = ("Arnsberg", "Detmold", "Düsseldorf", "Köln", "Münster")

# AGS: "05" (NRW) + 3 digits for a Kreis / kreisfreie Stadt, + 3 more for a Gemeinde.
MUNICIPALITY_ID_PATTERN = r"^05\d{3}(\d{3})?$"
# Office and contact ids are opaque tokens; letters, digits, '-' and '_' keep them URL-safe.
ENTITY_ID_PATTERN = r"^[A-Za-z0-9_-]{3,64}$"

MUNICIPALITY_ID = re.compile(MUNICIPALITY_ID_PATTERN)
ENTITY_ID = re.compile(ENTITY_ID_PATTERN)
