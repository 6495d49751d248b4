"""Answers directory questions against a snapshot: search, filters, geo, peers, pages.

Results have a total order (rank, then place name and full name, then id), and cursors carry the
sort key of the last item served: the next page starts strictly after it, so
paging never repeats an item, and an item is only skipped if it changed rank
between the two requests.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from . import geo, search
from .cursor import SortKey, decode_cursor, encode_cursor, fingerprint_of
from .parts import MunicipalityEntry
from .snapshot import Snapshot

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


class Hit(NamedTuple):
    key: SortKey
    entry: MunicipalityEntry
    distance_km: float | None


class Page(NamedTuple):
    hits: list[Hit]
    total: int
    next_cursor: str | None


def _allowed(snapshot: Snapshot, query: SearchQuery) -> frozenset[str] | None:
    """Ids passing the query's filters (from the snapshot's filter postings); None: no filter."""
    wanted = []
    if query.kind is not None:
        wanted.append(("kind", query.kind))
    if query.regierungsbezirk is not None:
        wanted.append(("regierungsbezirk", query.regierungsbezirk))
    if query.topic:
        wanted.append(("topic", search.fold(query.topic)))
    if query.language is not None:
        wanted.append(("language", query.language))
    return snapshot.facets.matching(wanted)


def _distance_hit(entry: MunicipalityEntry, distance: float) -> Hit:
    return Hit((round(distance, 6), entry.name_key, entry.id), entry, distance)


def find(snapshot: Snapshot, query: SearchQuery) -> list[Hit]:
    """Every match of the query in result order (rank or distance, then name, then id)."""
    by_id = snapshot.by_id
    allowed = _allowed(snapshot, query)
    near, radius = query.near, query.radius_km
    if query.q:
        ranked = snapshot.index.match(query.q)
        if allowed is not None:
            ranked = {doc_id: score for doc_id, score in ranked.items() if doc_id in allowed}
        if near is None:
            hits = [
                Hit((*score, by_id[doc_id].name_key, doc_id), by_id[doc_id], None)
                for doc_id, score in ranked.items()
            ]
        else:
            hits = []
            lat_window = geo.latitude_window(near[0], radius) if radius is not None else None
            for doc_id in ranked:
                entry = by_id[doc_id]
                if lat_window is not None and not lat_window[0] <= entry.lat <= lat_window[1]:
                    continue
                distance = geo.distance_km(near[0], near[1], entry.lat, entry.lon)
                if radius is None or distance <= radius:
                    hits.append(_distance_hit(entry, distance))
    elif near is not None:
        accept = allowed.__contains__ if allowed is not None else None
        if radius is not None:
            found = snapshot.geo.within(near[0], near[1], radius, accept)
            hits = [_distance_hit(by_id[doc_id], distance) for distance, doc_id in found]
        else:
            entries = snapshot.municipalities if allowed is None else [by_id[i] for i in allowed]
            hits = [
                _distance_hit(entry, geo.distance_km(near[0], near[1], entry.lat, entry.lon))
                for entry in entries
            ]
    else:
        # Name order is the snapshot's own order: nothing to sort.
        return [
            Hit((0, 0, 0, entry.name_key, entry.id), entry, None)
            for entry in _in_name_order(snapshot, allowed)
        ]
    hits.sort(key=_key)
    return hits


def _key(hit: Hit) -> SortKey:
    return hit.key


def _in_name_order(snapshot: Snapshot, allowed: frozenset[str] | None) -> list[MunicipalityEntry]:
    if allowed is None:
        return snapshot.municipalities
    if len(allowed) * 8 < len(snapshot.municipalities):
        return sorted((snapshot.by_id[i] for i in allowed), key=_order)
    return [entry for entry in snapshot.municipalities if entry.id in allowed]


def _order(entry: MunicipalityEntry) -> tuple[str, str]:
    return entry.order


def page(hits: list[Hit], query: SearchQuery) -> Page:
    """One page of hits after the query's cursor, and the cursor for the next."""
    fingerprint = fingerprint_of(query.fingerprint_fields())
    start = 0
    if query.cursor is not None:
        after = decode_cursor(query.cursor, fingerprint, len(hits[0].key) if hits else None)
        start = bisect_right(hits, after, key=_key)
    chunk = hits[start : start + query.limit]
    more = start + query.limit < len(hits)
    next_cursor = encode_cursor(chunk[-1].key, fingerprint) if more and chunk else None
    return Page(chunk, len(hits), next_cursor)


def search_page(snapshot: Snapshot, query: SearchQuery) -> Page:
    """One page of the query's results: `page(find(...))`, without ranking what the page does not show.

    Listing in name order and `near` without a radius or text need only the page:
    name order is the snapshot's own, and the geo grid finds the nearest after the cursor.
    """
    if query.q or (query.near is not None and query.radius_km is not None):
        return page(find(snapshot, query), query)
    fingerprint = fingerprint_of(query.fingerprint_fields())
    allowed = _allowed(snapshot, query)
    if query.near is None:
        entries = _in_name_order(snapshot, allowed)
        start = 0
        if query.cursor is not None:
            after = decode_cursor(query.cursor, fingerprint, 5)
            start = bisect_right(entries, (str(after[3]), str(after[4])), key=_order)
        chunk = [Hit((0, 0, 0, e.name_key, e.id), e, None) for e in entries[start : start + query.limit]]
        more = start + query.limit < len(entries)
        return Page(
            chunk, len(entries), encode_cursor(chunk[-1].key, fingerprint) if more and chunk else None
        )
    lat, lon = query.near
    cursor_key = None
    if query.cursor is not None:
        raw = decode_cursor(query.cursor, fingerprint, 3)
        cursor_key = (float(raw[0]), str(raw[1]), str(raw[2]))
    by_id = snapshot.by_id
    found = snapshot.geo.nearest(
        lat,
        lon,
        query.limit + 1,
        order=lambda doc_id: by_id[doc_id].name_key,
        accept=allowed.__contains__ if allowed is not None else None,
        after=cursor_key,
    )
    hits = [
        Hit(key, by_id[key[2]], geo.distance_km(lat, lon, by_id[key[2]].lat, by_id[key[2]].lon))
        for key in found[: query.limit]
    ]
    total = len(by_id) if allowed is None else len(allowed)
    more = len(found) > query.limit
    return Page(hits, total, encode_cursor(hits[-1].key, fingerprint) if more and hits else None)


def peers(snapshot: Snapshot, municipality: MunicipalityEntry, limit: int) -> list[Hit]:
    """The nearest other municipalities by great-circle distance (the geo grid's neighbourhood)."""
    by_id = snapshot.by_id
    found = snapshot.geo.nearest(
        municipality.lat,
        municipality.lon,
        limit,
        order=lambda doc_id: by_id[doc_id].name_key,
        accept=lambda doc_id: doc_id != municipality.id,
    )
    hits = []
    for key in found:
        entry = by_id[key[2]]
        hits.append(
            Hit(key, entry, geo.distance_km(municipality.lat, municipality.lon, entry.lat, entry.lon))
        )
    return hits
