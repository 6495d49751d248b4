"""Numeric query parameters: ASCII digits only, bounded length, else invalid_parameter."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib.domain.errors import InvalidParameter
from chalicelib.web.params import limit_of, search_query


class Pairs:
    def __init__(self, **values: str) -> None:
        self.values = values

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def getlist(self, key: str) -> list[str]:
        return [self.values[key]]


ODD_INTEGERS = [
    "\u00b2",  # superscript two: str.isdigit() says yes, int() says no
    "\u2460",  # circled one
    "\u0663",  # Arabic-Indic three: int() reads it, the API should not
    "\uff15",  # fullwidth five
    " 5",
    "5 ",
    "+5",
    "-5",
    "5.0",
    "1_0",
    "0x10",
    "",
    "9" * 5000,
    "0" * 5000 + "5",
]


@pytest.mark.parametrize("raw", ODD_INTEGERS)
def test_limit_takes_ascii_digits_only(raw: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        limit_of(raw)
    assert caught.value.details["parameter"] == "limit"


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("05", 5), ("100", 100)])
def test_limit_reads_plain_numbers(raw: str, expected: int) -> None:
    assert limit_of(raw) == expected


ODD_DECIMALS = [
    "\u0663",
    "\u00b2",
    "\uff15",
    "1e2",
    "1E2",
    "inf",
    "nan",
    "Infinity",
    "1_0",
    " 10",
    "10 ",
    "0x1p3",
    ".",
    "-",
    "1.2.3",
    "",
    "9" * 5000,
    "1." + "0" * 5000,
]


@pytest.mark.parametrize("raw", ODD_DECIMALS)
def test_radius_takes_ascii_decimals_only(raw: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        search_query(Pairs(near="52.1,7.4", radius_km=raw))
    assert caught.value.details["parameter"] == "radius_km"


@pytest.mark.parametrize("raw", ODD_DECIMALS)
def test_near_takes_ascii_decimals_only(raw: str) -> None:
    for near in (f"{raw},7.4", f"52.1,{raw}"):
        with pytest.raises(InvalidParameter) as caught:
            search_query(Pairs(near=near))
        assert caught.value.details["parameter"] == "near"


@pytest.mark.parametrize(
    ("near", "expected"),
    [
        ("52.12,7.39", (52.12, 7.39)),
        ("-33.9,+18.4", (-33.9, 18.4)),
        ("52,7", (52.0, 7.0)),
        (".5,7.", (0.5, 7.0)),
    ],
)
def test_near_reads_plain_decimals(near: str, expected: tuple[float, float]) -> None:
    assert search_query(Pairs(near=near)).near == expected
