"""Odd parameter values and names are 400s in the envelope that name the parameter, never 500s."""

from __future__ import annotations

import pytest

from tests.support.emulators import Api
from tests.support.envelopes import error_of

STEINFURT = "05566"
HIERONIMUS = "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"


@pytest.mark.parametrize("route", ["/municipalities", "/vcards", f"/municipalities/{STEINFURT}/peers"])
@pytest.mark.parametrize("limit", ["%C2%B2", "%E2%91%A0", "%D9%A3", "%205", "9" * 5000])
def test_odd_limits_are_invalid_parameters_not_500s(api: Api, route: str, limit: str) -> None:
    response = api.get(f"{route}?limit={limit}")
    assert response.status_code == 400
    error = error_of(response, 400)
    assert error["code"] == "invalid_parameter"
    assert error["details"]["parameter"] == "limit"


@pytest.mark.parametrize(
    "query",
    ["near=%D9%A5%D9%A2,7&radius_km=10", "near=52,7&radius_km=1e2", "near=52,7&radius_km=" + "9" * 5000],
)
def test_odd_coordinates_are_invalid_parameters(api: Api, query: str) -> None:
    response = api.get(f"/municipalities?{query}")
    assert response.status_code == 400
    assert error_of(response, 400)["code"] == "invalid_parameter"


@pytest.mark.parametrize(
    ("path", "first_unknown"),
    [("/municipalities?zeta=1&q=x&alpha=2", "zeta"), (f"/contacts/{HIERONIMUS}/vcard?format=x", "format")],
)
def test_unknown_parameter_names_the_first_unknown_one(api: Api, path: str, first_unknown: str) -> None:
    response = api.get(path)
    assert response.status_code == 400
    error = error_of(response, 400)
    assert error["code"] == "unknown_parameter"
    assert error["details"]["parameter"] == first_unknown
    assert first_unknown in error["details"]["unknown"]
