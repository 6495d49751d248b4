"""Reading cards with ical.js — the parser Thunderbird uses — through node.

Missing node or ical.js (npm ci) skips a test locally and fails it under
REQUIRE_ICALJS=1, as CI sets it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

from tests.support.emulators import ROOT, require_or_skip

ICALJS = ROOT / "node_modules" / "ical.js" / "package.json"
READER = ROOT / "tests" / "support" / "icaljs_read.mjs"


@dataclass(frozen=True)
class Property:
    """One property as ical.js hands it to an application."""

    name: str  # lower case
    params: dict[str, Any]
    type: str  # ical.js's value type: text, uri, date-time, …
    values: list[Any]  # a structured value (N, ADR, ORG) is one list of components

    @property
    def value(self) -> Any:
        return self.values[0] if len(self.values) == 1 else self.values


def read_with_icaljs(text: str) -> list[list[Property]]:
    """Every card in vCard text or jCard JSON, as ical.js reads it."""
    node = shutil.which("node")
    if node is None or not ICALJS.exists():
        require_or_skip("REQUIRE_ICALJS", "node or ical.js is not installed (npm ci)")
    assert node is not None
    result = subprocess.run(
        [node, str(READER)], input=text, capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert result.returncode == 0, result.stderr
    return [[Property(**prop) for prop in card] for card in json.loads(result.stdout)]


def first(card: list[Property], name: str) -> Property:
    return next(prop for prop in card if prop.name == name.lower())


def all_of(card: list[Property], name: str) -> list[Property]:
    return [prop for prop in card if prop.name == name.lower()]
