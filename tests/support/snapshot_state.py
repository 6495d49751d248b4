"""Everything a snapshot serves or indexes, as plain data: two snapshots compare equal when
every read would answer alike (used to check catch-up against a full load)."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.snapshot import Snapshot


def state_of(snapshot: Snapshot) -> dict[str, Any]:
    index = snapshot.index
    return {
        "revision": snapshot.revision,
        "order": [entry.id for entry in snapshot.municipalities],
        "municipalities": {i: (e.body.text, e.body.etag, e.summary_json) for i, e in snapshot.by_id.items()},
        "offices": {i: (o.municipality_id, o.body.text) for i, o in snapshot.offices.items()},
        "contacts": {i: (c.office_id, c.municipality_id, c.body.text) for i, c in snapshot.contacts.items()},
        "postings": index.postings,
        "vocabulary": index.vocabulary,
        "reversed_vocabulary": index.reversed_vocabulary,
        "exact_names": index.exact_names,
        "facets": snapshot.facets.postings,
        "geo": {cell: sorted(points) for cell, points in snapshot.geo.cells.items()},
        "geo_extent": snapshot.geo.extent,
        "owners": snapshot.owners,
        "feed": (snapshot.feed.changes, snapshot.feed.complete_to),
        "pending": snapshot.pending,
        "topics": snapshot.topics,
        "languages": snapshot.languages,
        "parts": {i: (p.version, p.entry is None) for i, p in snapshot.parts.items()},
    }
