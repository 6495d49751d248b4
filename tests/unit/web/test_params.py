"""Query-string parsing: accepted spellings and every rejection."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidParameter, UnknownParameter
from chalicelib.domain.queries import SearchQuery
from chalicelib.web.errors import status_of
from chalicelib.web.params import search_query, single_values


class MultiDict:
    """The two methods of Chalice's MultiDict that parsing uses."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(dict.fromkeys(k for k, _ in self.pairs))

    def getlist(self, key: str) -> list[str]:
        return [v for k, v in self.pairs if k == key]


def parse(**values: str) -> SearchQuery:
    return search_query(MultiDict(list(values.items())))


def test_no_parameters_is_the_default_query() -> None:
    assert search_query(None) == SearchQuery()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("koeln", "Köln"), ("KÖLN", "Köln"), ("Duesseldorf", "Düsseldorf"), ("muenster", "Münster")],
)
def test_regierungsbezirk_folds(raw: str, expected: str) -> None:
    assert parse(regierungsbezirk=raw).regierungsbezirk == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("kreisfreie-stadt", "kreisfreie Stadt"),
        ("Staedteregion", "StädteRegion"),
        ("GEMEINDE", "Gemeinde"),
        ("kreisangehoerige Stadt", "kreisangehörige Stadt"),
    ],
)
def test_kind_folds(raw: str, expected: str) -> None:
    assert parse(kind=raw).kind == expected


def test_full_query_parses() -> None:
    query = parse(
        q=" steinf ", near="52.1,7.4", radius_km="25.5", limit="7", language="FA_af", topic="Arbeit"
    )
    assert query == SearchQuery(
        q="steinf", near=(52.1, 7.4), radius_km=25.5, limit=7, language="fa-af", topic="Arbeit"
    )


@pytest.mark.parametrize(
    ("values", "parameter"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "-3"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"near": "52"}, "near"),
        ({"near": "52,7,1"}, "near"),
        ({"near": "inf,7"}, "near"),
        ({"near": "52,181"}, "near"),
        ({"radius_km": "10"}, "radius_km"),
        ({"near": "52,7", "radius_km": "0"}, "radius_km"),
        ({"near": "52,7", "radius_km": "5000"}, "radius_km"),
        ({"q": "x" * 101}, "q"),
        ({"kind": "Land"}, "kind"),
        ({"regierungsbezirk": "Hamburg"}, "regierungsbezirk"),
        ({"language": "deutsch!"}, "language"),
        ({"topic": " "}, "topic"),
        ({"cursor": "x" * 600}, "cursor"),
    ],
)
def test_rejections_name_the_parameter(values: dict[str, str], parameter: str) -> None:
    with pytest.raises(InvalidParameter) as raised:
        parse(**values)
    assert raised.value.details["parameter"] == parameter
    assert status_of(raised.value)[0] == 400


def test_unknown_parameters_are_listed() -> None:
    with pytest.raises(UnknownParameter) as raised:
        search_query(MultiDict([("q", "x"), ("colour", "red"), ("page", "2")]))
    assert raised.value.details["unknown"] == ["colour", "page"]


def test_repeated_parameter_is_rejected() -> None:
    with pytest.raises(InvalidParameter, match="only once"):
        single_values(MultiDict([("q", "a"), ("q", "b")]), ("q",))
