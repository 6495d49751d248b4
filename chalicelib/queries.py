"""Answers directory questions against a snapshot: search, filters, geo, peers, pages.

Results have a total order (rank, then name, then id), and cursors carry the
sort key of the last item served: the next page starts strictly after it, so
paging never repeats an item, and an item is only skipped if it changed rank
between the two requests.
"""

from __future__ import annotations

import base64
import binascii
import json
from bisect import bisect_right
from dataclasses import dataclass
from hashlib import blake2b
from typing import Any

from . import search
from .directory import MunicipalityEntry, Snapshot
from .errors import InvalidParameter
from .params import SearchQuery

SortKey = tuple[Any, ...]


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
        lat_window = search.latitude_window(query.near[0], query.radius_km)

    hits = []
    for entry, score in candidates:
        if not _passes_filters(entry, query, topic_key):
            continue
        distance = None
        if query.near is not None:
            if lat_window is not None and not lat_window[0] <= entry.lat <= lat_window[1]:
                continue
            distance = search.distance_km(query.near[0], query.near[1], entry.lat, entry.lon)
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
    fingerprint = _fingerprint(query)
    start = 0
    if query.cursor is not None:
        after = _decode_cursor(query.cursor, fingerprint, len(hits[0].key) if hits else None)
        start = bisect_right([hit.key for hit in hits], after)
    chunk = hits[start : start + query.limit]
    more = start + query.limit < len(hits)
    next_cursor = _encode_cursor(chunk[-1].key, fingerprint) if more and chunk else None
    return Page(chunk, len(hits), next_cursor)


def peers(snapshot: Snapshot, municipality: MunicipalityEntry, limit: int) -> list[Hit]:
    """The nearest other municipalities by great-circle distance."""
    hits = []
    for entry in snapshot.municipalities:
        if entry.id == municipality.id:
            continue
        distance = search.distance_km(municipality.lat, municipality.lon, entry.lat, entry.lon)
        hits.append(Hit((round(distance, 6), entry.name_key, entry.id), entry, distance))
    hits.sort(key=lambda hit: hit.key)
    return hits[:limit]


# -- cursors -------------------------------------------------------------------


def _fingerprint(query: SearchQuery) -> str:
    return blake2b(repr(query.fingerprint_fields()).encode(), digest_size=6).hexdigest()


def _encode_cursor(key: SortKey, fingerprint: str) -> str:
    raw = json.dumps({"f": fingerprint, "k": list(key)}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, fingerprint: str, key_length: int | None) -> SortKey:
    invalid = InvalidParameter("cursor", "'cursor' is malformed; use the next_cursor of a previous page")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError):
        raise invalid from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("k"), list)
        or not isinstance(data.get("f"), str)
    ):
        raise invalid
    if data["f"] != fingerprint:
        raise InvalidParameter("cursor", "'cursor' belongs to a different query; start again without it")
    key = data["k"]
    # A key is numbers, then the folded name and id (strings): anything else did not come from us.
    if len(key) < 3 or not all(isinstance(k, int | float) and not isinstance(k, bool) for k in key[:-2]):
        raise invalid
    if not all(isinstance(k, str) for k in key[-2:]):
        raise invalid
    if key_length is not None and len(key) != key_length:
        raise invalid
    return tuple(key)
