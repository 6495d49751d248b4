"""A bulk download never outgrows one Lambda response: beyond the bound, a 422 that says how to narrow."""

from __future__ import annotations

import json

import pytest

from chalicelib.cards import selection as card_routes
from tests.support.emulators import Api


def test_the_whole_shipped_directory_is_one_download(api: Api) -> None:
    response = api.get("/vcards")
    assert response.status_code == 200
    assert response.body.decode().count("BEGIN:VCARD") <= card_routes.MAX_CARDS_PER_DOWNLOAD


def test_beyond_the_bound_a_422_names_the_count_the_bound_and_the_filters(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = api.get("/vcards").body.decode().count("BEGIN:VCARD")
    monkeypatch.setattr(card_routes, "MAX_CARDS_PER_DOWNLOAD", whole - 1)
    response = api.get("/vcards?kind=Kreis&q=kreis")
    narrowed = response.status_code
    response = api.get("/vcards")
    assert response.status_code == 422
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    error = json.loads(response.body)["error"]
    assert error["code"] == "too_many_cards"
    assert error["details"]["cards"] == whole
    assert error["details"]["limit"] == whole - 1
    assert error["details"]["municipalities"] == json.loads(api.get("/municipalities?limit=1").body)["total"]
    assert "regierungsbezirk" in error["details"]["narrow_with"] and "q" in error["details"]["narrow_with"]
    assert narrowed == 200  # a narrower search still downloads
    response = api.get("/vcards?regierungsbezirk=M%C3%BCnster")
    if response.status_code == 422:
        assert "regierungsbezirk" not in json.loads(response.body)["error"]["details"]["narrow_with"]
