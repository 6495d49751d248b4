"""The JSON bodies of result pages: a search page, a peers list and a page of the change feed.

Each is a pure function of the snapshot and the parsed query, so routes only parse, call
and respond, and the composition root may remember the bodies per snapshot
(bootstrap.responses()). Links come from the snapshot's own Links.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from . import queries
from .bodies import Body, to_json
from .cursor import decode_cursor, encode_cursor, fingerprint_of
from .parts import MunicipalityEntry
from .snapshot import Snapshot


@lru_cache(maxsize=1024)  # a pure function's memo: widgets repeat the same few queries
def _encoded(pairs: tuple[tuple[str, str], ...]) -> str:
    # Percent-encoding is the costliest step of a link.
    return "?" + urlencode(pairs) if pairs else ""


def search_body(snapshot: Snapshot, query: queries.SearchQuery) -> Body:
    """GET /municipalities: one page of summaries, spliced from their pre-rendered JSON."""
    result = queries.search_page(snapshot, query)
    items = ",".join(
        hit.entry.summary_json
        if hit.distance_km is None
        else '{"distance_km":' + to_json(round(hit.distance_km, 2)) + "," + hit.entry.summary_json[1:]
        for hit in result.hits
    )
    base = snapshot.links.search()
    next_link = None
    if result.next_cursor:
        following = {**dict(query.given), "cursor": result.next_cursor}
        next_link = base + "?" + urlencode(following)  # cursors are unique: not worth caching
    tail = {
        "total": result.total,
        "limit": query.limit,
        "next_cursor": result.next_cursor,
        "links": {"self": base + _encoded(query.given), "next": next_link},
    }
    return Body.of('{"items":[' + items + "]," + to_json(tail)[1:])


def peers_body(snapshot: Snapshot, entry: MunicipalityEntry, limit: int, given: dict[str, str]) -> Body:
    """GET /municipalities/{id}/peers: the nearest others, nearest first."""
    items = [
        {
            "distance_km": round(hit.distance_km or 0.0, 2),
            "same_regierungsbezirk": hit.entry.regierungsbezirk == entry.regierungsbezirk,
            **hit.entry.summary,
        }
        for hit in queries.peers(snapshot, entry, limit)
    ]
    body = {
        "municipality": {"id": entry.id, "name": entry.summary["name"], "links": entry.summary["links"]},
        "items": items,
        "links": {"self": snapshot.links.peers(entry.id) + _encoded(tuple(given.items()))},
    }
    return Body.of(to_json(body))


def changes_body(snapshot: Snapshot, since: int, limit: int, cursor: str | None) -> Body:
    """GET /changes: what changed after `since`, a page at a time (keyset cursor, domain/cursor.py)."""
    feed = snapshot.feed
    fingerprint = fingerprint_of(("changes", since))
    after = None
    if cursor is not None:
        key = decode_cursor(cursor, fingerprint, 3)
        after = (int(key[0]), str(key[1]), str(key[2]))
    changes, more = feed.since(since, after, limit)
    next_cursor = None
    base = snapshot.links.base + "/changes"
    query = {"since": str(since), "limit": str(limit)}
    if more and changes:
        last = changes[-1]
        next_cursor = encode_cursor((last.revision, last.kind, last.id), fingerprint)
    body = {
        "items": [change.view() for change in changes],
        "since": since,
        # Ask with since=<revision> next time; the feed is complete up to here.
        "revision": feed.complete_to,
        "next_cursor": next_cursor,
        "links": {
            "self": base + "?" + urlencode({**query, **({"cursor": cursor} if cursor is not None else {})}),
            "next": base + "?" + urlencode({**query, "cursor": next_cursor}) if next_cursor else None,
        },
    }
    return Body.of(to_json(body))
