"""Filters, geo, peers and pagination over an in-memory snapshot."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain import geo
from chalicelib.domain.errors import InvalidParameter
from chalicelib.domain.queries import SearchQuery, find, page, peers
from chalicelib.domain.snapshot import Snapshot
from tests.support.snapshots import shipped, snapshot_of
from tests.support.synthetic import Synthetic

SHIPPED = snapshot_of(shipped())
_GENERATOR = Synthetic(seed=42)
SYNTHETIC = snapshot_of([_GENERATOR.model() for _ in range(60)])


def ids(snapshot: Snapshot, query: SearchQuery) -> list[str]:
    return [hit.entry.id for hit in find(snapshot, query)]


def test_kind_filter() -> None:
    found = find(SHIPPED, SearchQuery(kind="kreisangehörige Stadt"))
    assert {h.entry.summary["name"] for h in found} == {
        "Stadt Brühl",
        "Stadt Eschweiler",
        "Stadt Gevelsberg",
        "Stadt Gummersbach",
        "Stadt Hückeswagen",
        "Stadt Rheine",
        "Stadt Soest",
        "Stadt Stolberg (Rhld.)",
    }


def test_regierungsbezirk_filter_with_query() -> None:
    found = find(SHIPPED, SearchQuery(q="stadt", regierungsbezirk="Münster"))
    assert [h.entry.summary["name"] for h in found] == [
        "Stadt Bottrop",
        "Stadt Gelsenkirchen",
        "Stadt Münster",
        "Stadt Rheine",
    ]


def test_topic_and_language_filters_match_public_contacts_only() -> None:
    synthetic = Synthetic(seed=3)
    speaks = synthetic.municipality(contacts=0)
    speaks["offices"][0]["contacts"] = [synthetic.contact(languages=["ti", "ar-SY"], topics=["Wohnen"])]
    hidden = synthetic.municipality(contacts=0)
    hidden["offices"][0]["contacts"] = [synthetic.contact(public=False, languages=["ti"], topics=["Wohnen"])]
    from chalicelib.write.models import Municipality

    snapshot = snapshot_of([Municipality.model_validate(speaks), Municipality.model_validate(hidden)])
    assert ids(snapshot, SearchQuery(language="ti")) == [speaks["id"]]
    assert ids(snapshot, SearchQuery(language="ar")) == [speaks["id"]]  # primary subtag matches ar-SY
    assert ids(snapshot, SearchQuery(language="ar-sy")) == [speaks["id"]]
    assert ids(snapshot, SearchQuery(language="ar-eg")) == []
    assert ids(snapshot, SearchQuery(topic="WOHNEN")) == [speaks["id"]]


def test_near_sorts_by_distance_and_radius_cuts() -> None:
    steinfurt = SHIPPED.by_id["05566"]
    hits = find(SHIPPED, SearchQuery(near=(steinfurt.lat, steinfurt.lon)))
    distances = [h.distance_km or 0.0 for h in hits]
    assert hits[0].entry.id == "05566"
    assert distances == sorted(distances)
    within = find(SHIPPED, SearchQuery(near=(steinfurt.lat, steinfurt.lon), radius_km=50))
    assert {h.entry.id for h in within} == {h.entry.id for h in hits if (h.distance_km or 0.0) <= 50}
    assert {"05566", "05515"} <= {h.entry.id for h in within}


@given(st.floats(50.3, 52.6), st.floats(5.8, 9.5), st.floats(1, 300))
def test_radius_prefilter_never_drops_a_match(lat: float, lon: float, radius: float) -> None:
    expected = {
        e.id for e in SYNTHETIC.municipalities if geo.distance_km(lat, lon, e.lat, e.lon) <= radius
    }
    assert set(ids(SYNTHETIC, SearchQuery(near=(lat, lon), radius_km=radius))) == expected


def test_peers_are_the_nearest_others() -> None:
    soest = SHIPPED.by_id["05974"]
    nearest = peers(SHIPPED, soest, 3)
    assert soest.id not in [h.entry.id for h in nearest]
    all_others = sorted(
        geo.distance_km(soest.lat, soest.lon, e.lat, e.lon)
        for e in SHIPPED.municipalities
        if e.id != soest.id
    )
    assert [h.distance_km for h in nearest] == pytest.approx(all_others[:3])
    # Stadt Soest shares the Kreis's seat coordinates: distance 0, the nearest peer.
    assert nearest[0].entry.id == "05974040"


def walk(snapshot: Snapshot, query: SearchQuery) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        current = SearchQuery(**{**query.__dict__, "cursor": cursor})
        result = page(find(snapshot, current), current)
        assert result.total == len(find(snapshot, query))
        seen.extend(hit.entry.id for hit in result.hits)
        if result.next_cursor is None:
            return seen
        cursor = result.next_cursor


@given(
    st.integers(1, 25), st.sampled_from(["", "kreis", "stadt", "ko", "integrationszentrum"]), st.booleans()
)
def test_pagination_never_repeats_or_drops(limit: int, q: str, near: bool) -> None:
    query = SearchQuery(q=q, limit=limit, near=(51.5, 7.5) if near else None)
    assert walk(SYNTHETIC, query) == ids(SYNTHETIC, query)


def test_pagination_survives_an_insert_between_pages() -> None:
    synthetic = Synthetic(seed=11)
    records = [synthetic.model() for _ in range(12)]
    before = snapshot_of(records)
    query = SearchQuery(limit=5)
    first = page(find(before, query), query)
    after = snapshot_of([*records, synthetic.model(name="Aaaa-Stadt")], revision=2)
    second_query = SearchQuery(limit=50, cursor=first.next_cursor)
    second = page(find(after, second_query), second_query)
    first_ids = [h.entry.id for h in first.hits]
    rest = [h.entry.id for h in second.hits]
    assert not set(first_ids) & set(rest)
    assert set(first_ids) | set(rest) >= {r.id for r in records}


@pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", "eyJmIjoxfQ", "W10"])
def test_malformed_cursor_is_rejected(cursor: str) -> None:
    query = SearchQuery(cursor=cursor)
    with pytest.raises(InvalidParameter) as raised:
        page(find(SHIPPED, query), query)
    assert raised.value.details["parameter"] == "cursor"


def test_cursor_of_another_query_is_rejected() -> None:
    first = SearchQuery(q="stadt", limit=2)
    cursor = page(find(SHIPPED, first), first).next_cursor
    assert cursor is not None
    other = SearchQuery(q="kreis", limit=2, cursor=cursor)
    with pytest.raises(InvalidParameter, match="different query"):
        page(find(SHIPPED, other), other)
