"""What a response says about the snapshot it came from (domain/directory.py decides when to reload)."""

from __future__ import annotations

from typing import NamedTuple


class Freshness(NamedTuple):
    """What a response says about the snapshot it came from."""

    revision: int
    stale: bool
    max_age: int
