"""Regressions of the defects issue, through Chalice's Lambda handler on a real moto server."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.emulators import Api

STEINFURT = "05566"
HIERONIMUS = "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"


def get(api: Api, path: str, **headers: str) -> Any:
    return api.client.http.get(path, headers=headers)  # type: ignore[attr-defined]


def error_of(response: Any) -> dict[str, Any]:
    envelope: dict[str, Any] = json.loads(response.body)["error"]
    return envelope


# -- 1. odd numbers -------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["/municipalities", "/vcards", f"/municipalities/{STEINFURT}/peers"])
@pytest.mark.parametrize("limit", ["%C2%B2", "%E2%91%A0", "%D9%A3", "%205", "9" * 5000])
def test_odd_limits_are_invalid_parameters_not_500s(api: Api, route: str, limit: str) -> None:
    response = get(api, f"{route}?limit={limit}")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_parameter"
    assert error["details"]["parameter"] == "limit"


@pytest.mark.parametrize(
    "query",
    ["near=%D9%A5%D9%A2,7&radius_km=10", "near=52,7&radius_km=1e2", "near=52,7&radius_km=" + "9" * 5000],
)
def test_odd_coordinates_are_invalid_parameters(api: Api, query: str) -> None:
    response = get(api, f"/municipalities?{query}")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_parameter"
