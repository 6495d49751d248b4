"""The geo grid finds exactly what measuring every municipality would find."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.geo import distance_km
from chalicelib.domain.geoindex import GeoIndex, ring_bound_km

RNG = random.Random(4)
POINTS = [(RNG.uniform(50.3, 52.6), RNG.uniform(5.8, 9.5), f"m{n:04d}") for n in range(600)]
# A few far away and some sharing a place: ties must order by name, then id.
POINTS += [(-33.9, 18.4, "cape"), (64.1, -21.9, "reykjavik"), (51.0, 7.0, "twin-b"), (51.0, 7.0, "twin-a")]
INDEX = GeoIndex.build(POINTS)
NAMES = {
    point_id: f"name-{int(point_id[1:]) % 7 if point_id[1:].isdigit() else 0}" for _, _, point_id in POINTS
}


def order(point_id: str) -> str:
    return NAMES[point_id]


def brute(lat: float, lon: float) -> list[tuple[float, str, str]]:
    return sorted((round(distance_km(lat, lon, p[0], p[1]), 6), order(p[2]), p[2]) for p in POINTS)


latitudes = st.floats(min_value=-89.9, max_value=89.9)
longitudes = st.floats(min_value=-179.9, max_value=179.9)


@settings(max_examples=80, deadline=None)
@given(
    lat=st.one_of(st.floats(50.0, 53.0), latitudes),
    lon=st.one_of(st.floats(5.5, 10.0), longitudes),
    count=st.integers(1, 40),
    skip=st.integers(0, 30),
)
def test_nearest_equals_sorting_everything(lat: float, lon: float, count: int, skip: int) -> None:
    everything = brute(lat, lon)
    assert INDEX.nearest(lat, lon, count, order) == everything[:count]
    after = everything[skip]
    assert INDEX.nearest(lat, lon, count, order, after=after) == everything[skip + 1 : skip + 1 + count]


@settings(max_examples=60, deadline=None)
@given(lat=st.floats(50.0, 53.0), lon=st.floats(5.5, 10.0), radius=st.floats(0.5, 400.0))
def test_within_equals_measuring_everything(lat: float, lon: float, radius: float) -> None:
    expected = sorted(p[2] for p in POINTS if distance_km(lat, lon, p[0], p[1]) <= radius)
    assert sorted(point_id for _, point_id in INDEX.within(lat, lon, radius)) == expected


def test_filters_and_updates_keep_the_answers_exact() -> None:
    even = {p[2] for p in POINTS if p[2].endswith(("0", "2", "4", "6", "8"))}
    found = INDEX.nearest(51.5, 7.5, 10, order, accept=even.__contains__)
    assert found == [key for key in brute(51.5, 7.5) if key[2] in even][:10]
    moved = [(p[0] + 0.5, p[1] - 0.5, p[2]) for p in POINTS[:50]]
    updated = INDEX.updated(POINTS[:50], moved)
    rebuilt = GeoIndex.build([*moved, *POINTS[50:]])
    assert {cell: sorted(points) for cell, points in updated.cells.items()} == {
        cell: sorted(points) for cell, points in rebuilt.cells.items()
    }
    assert updated.extent == rebuilt.extent
    assert INDEX.nearest(51.5, 7.5, 5, order) == brute(51.5, 7.5)[:5]  # the original is unchanged


def test_ring_bounds_never_exceed_a_real_distance() -> None:
    for ring in (1, 5, 40, 300):
        for lat in (0.0, 51.0, 70.0, 89.0):
            # a point exactly `ring` cells east, at the highest latitude allowed
            far = distance_km(lat, 0.0, lat, ring * 0.1)
            north = distance_km(lat - ring * 0.1, 0.0, lat, 0.0)
            assert ring_bound_km(ring, lat) <= min(far, north)


def test_an_empty_index_finds_nothing() -> None:
    assert GeoIndex.build([]).nearest(51.0, 7.0, 5, order) == []
    assert GeoIndex.build([]).within(51.0, 7.0, 50) == []


def test_a_small_index_measures_everything_and_answers_alike() -> None:
    small = GeoIndex.build(POINTS[:120])
    assert small.size == 120
    expected = sorted((round(distance_km(51.2, 7.1, p[0], p[1]), 6), order(p[2]), p[2]) for p in POINTS[:120])
    assert small.nearest(51.2, 7.1, 15, order) == expected[:15]
    assert small.nearest(51.2, 7.1, 15, order, after=expected[4]) == expected[5:20]
    assert sorted(i for _, i in small.within(51.2, 7.1, 60)) == sorted(
        p[2] for p in POINTS[:120] if distance_km(51.2, 7.1, p[0], p[1]) <= 60
    )
