"""Answers directory questions against a snapshot: search, filters, geo, peers, pages.

Results have a total order (rank, then place name and full name, then id), and cursors carry the
sort key of the last item served: the next page starts strictly after it, so
paging never repeats an item, and an item is only skipped if it changed rank
between the two requests.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from . import geo, search
from .cursor import SortKey, decode_cursor, encode_cursor, fingerprint_of
from .snapshot import MunicipalityEntry, Snapshot

DEFAULT_LIMIT = 20
# Names the tie order (search.order_key) in every cursor's fingerprint: a cursor from an
# earlier order is refused ("start again") rather than resumed at the wrong place.
ORDER = "place-name"


@dataclass(frozen=True)
class SearchQuery:
    """A parsed GET /municipalities (or GET /vcards) query."""

    q: str = ""
    kind: str | None = None
    regierungsbezirk: str | None = None
    topic: str | None = None
    language: str | None = None
    near: tuple[float, float] | None = None
    radius_km: float | None = None
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None
    # The parameters as the client sent them, for the response's links.
    given: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def fingerprint_fields(self) -> tuple[Any, ...]:
        """What defines the result order; a cursor is only valid for the same values."""
        return (
            ORDER,
            self.q,
            self.kind,
            self.regierungsbezirk,
            self.topic,
            self.language,
            self.near,
            self.radius_km,
        )


@dataclass(frozen=True)
class Hit:
    key: SortKey
    entry: MunicipalityEntry
    distance_km: float | None


@dataclass(frozen=True)
class Page:
    hits: list[Hit]
    total: int
    next_cursor: str | None


def _passes_filters(entry: MunicipalityEntry, query: SearchQuery, topic_key: str | None) -> bool:
    if query.kind is not None and entry.kind != query.kind:
        return False
    if query.regierungsbezirk is not None and entry.regierungsbezirk != query.regierungsbezirk:
        return False
    if topic_key is not None and topic_key not in entry.topics:
        return False
    return query.language is None or query.language in entry.languages


def find(snapshot: Snapshot, query: SearchQuery) -> list[Hit]:
    """Every match of the query in result order (rank or distance, then name, then id)."""
    entries = snapshot.municipalities
    topic_key = search.fold(query.topic) if query.topic else None
    if query.q:
        ranked = snapshot.index.match(query.q)
        candidates = [(entries[n], score) for n, score in ranked.items()]
    else:
        candidates = [(entry, (0, 0, 0)) for entry in entries]

    lat_window = None
    if query.near is not None and query.radius_km is not None:
        lat_window = geo.latitude_window(query.near[0], query.radius_km)

    hits = []
    for entry, score in candidates:
        if not _passes_filters(entry, query, topic_key):
            continue
        distance = None
        if query.near is not None:
            if lat_window is not None and not lat_window[0] <= entry.lat <= lat_window[1]:
                continue
            distance = geo.distance_km(query.near[0], query.near[1], entry.lat, entry.lon)
            if query.radius_km is not None and distance > query.radius_km:
                continue
            key: SortKey = (round(distance, 6), entry.name_key, entry.id)
        else:
            key = (*score, entry.name_key, entry.id)
        hits.append(Hit(key, entry, distance))
    hits.sort(key=lambda hit: hit.key)
    return hits


def page(hits: list[Hit], query: SearchQuery) -> Page:
    """One page of hits after the query's cursor, and the cursor for the next."""
    fingerprint = fingerprint_of(query.fingerprint_fields())
    start = 0
    if query.cursor is not None:
        after = decode_cursor(query.cursor, fingerprint, len(hits[0].key) if hits else None)
        start = bisect_right([hit.key for hit in hits], after)
    chunk = hits[start : start + query.limit]
    more = start + query.limit < len(hits)
    next_cursor = encode_cursor(chunk[-1].key, fingerprint) if more and chunk else None
    return Page(chunk, len(hits), next_cursor)


def peers(snapshot: Snapshot, municipality: MunicipalityEntry, limit: int) -> list[Hit]:
    """The nearest other municipalities by great-circle distance."""
    hits = []
    for entry in snapshot.municipalities:
        if entry.id == municipality.id:
            continue
        distance = geo.distance_km(municipality.lat, municipality.lon, entry.lat, entry.lon)
        hits.append(Hit((round(distance, 6), entry.name_key, entry.id), entry, distance))
    hits.sort(key=lambda hit: hit.key)
    return hits[:limit]
