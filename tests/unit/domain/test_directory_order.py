"""Lists sort by the place's name, not the official prefix: Bad Sassendorf under B, Düsseldorf under D."""

from __future__ import annotations

from itertools import groupby

import pytest

from chalicelib.domain import queries
from chalicelib.domain.search import fold, name_core
from tests.support.snapshots import shipped, snapshot_of

# Shipped names whose order the official prefixes would get wrong: these must come in this order.
LANDMARKS = [
    "StädteRegion Aachen",  # under A, not S
    "Gemeinde Bad Sassendorf",  # under B, not G
    "Stadt Bielefeld",
    "Stadt Duisburg",
    "Landeshauptstadt Düsseldorf",  # under D, not L
    "Stadt Essen",
    "Rhein-Kreis Neuss",  # under N, not R
    "Kreis Soest",  # Soest the Kreis and Soest the Stadt: by full name
    "Stadt Soest",
]


def _in_place_order(names: list[str]) -> None:
    places = [fold(name_core(name)) for name in names]
    assert places == sorted(places)
    positions = [names.index(name) for name in LANDMARKS]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("Landeshauptstadt Düsseldorf", "Düsseldorf"),
        ("Bundesstadt Bonn", "Bonn"),
        ("Hansestadt Lemgo", "Lemgo"),
        ("StädteRegion Aachen", "Aachen"),
        ("Rhein-Kreis Neuss", "Neuss"),
        ("Gemeinde Bad Sassendorf", "Bad Sassendorf"),
        ("Kreis Soest", "Soest"),
        ("Stadt Soest", "Soest"),
        ("Ennepe-Ruhr-Kreis", "Ennepe-Ruhr-Kreis"),
        ("Hochsauerlandkreis", "Hochsauerlandkreis"),
        ("Märkischer Kreis", "Märkischer Kreis"),
        ("Stadtlohn", "Stadtlohn"),
    ],
)
def test_name_core_drops_every_official_prefix(name: str, core: str) -> None:
    assert name_core(name) == core


def test_the_directory_lists_by_place_name_then_full_name() -> None:
    snapshot = snapshot_of(shipped())
    _in_place_order([entry.detail["name"] for entry in snapshot.municipalities])


def test_paging_follows_the_place_order_without_repeats() -> None:
    snapshot = snapshot_of(shipped())
    seen: list[str] = []
    cursor = None
    while True:
        query = queries.SearchQuery(limit=4, cursor=cursor)
        page = queries.page(queries.find(snapshot, query), query)
        seen.extend(hit.entry.detail["name"] for hit in page.hits)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [entry.detail["name"] for entry in snapshot.municipalities]
    _in_place_order(seen)


def test_search_ties_follow_the_place_order() -> None:
    snapshot = snapshot_of(shipped())
    hits = queries.find(snapshot, queries.SearchQuery(q="kreis"))
    tied = [list(group) for _, group in groupby(hits, key=lambda hit: hit.key[:3])]
    assert any(len(group) > 3 for group in tied)
    for group in tied:
        names = [hit.entry.detail["name"] for hit in group]
        assert names == sorted(names, key=lambda name: (fold(name_core(name)), fold(name)))
