"""The JSON API through Chalice's Lambda handler, on a real moto server over HTTP."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.write.models import Municipality
from devtools.emulator import MotoServer
from tests.support.emulators import Api, LiveApi, configure_service, make_store
from tests.support.envelopes import error_of
from tests.support.synthetic import Synthetic

STEINFURT = "05566"
HIERONIMUS = "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"


def body(response: Any) -> Any:
    return json.loads(response.body)


def test_search_returns_kreis_steinfurt_with_office_and_contact(api: Api) -> None:
    response = api.get("/municipalities?q=steinfurt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    result = body(response)
    first = result["items"][0]
    assert first["name"] == "Kreis Steinfurt"
    office = first["offices"][0]
    assert office["name"] == "Kommunales Integrationszentrum Kreis Steinfurt"
    contact = office["contacts"][0]
    assert (contact["given_name"], contact["family_name"]) == ("Stephanie", "Hieronimus")
    assert contact["phone"] == "+492551692743"
    assert contact["phone_display"] == "+49 2551 692743"
    assert contact["fax"] == "+4925516992743"
    assert contact["email"] == "stephanie.hieronimus@kreis-steinfurt.de"
    assert result["total"] == len(result["items"])


def test_listing_without_query_pages_through_the_whole_directory(api: Api) -> None:
    seen: list[str] = []
    path = "/municipalities?limit=4"
    while path:
        result = body(api.get(path))
        assert result["total"] == 37
        seen.extend(item["id"] for item in result["items"])
        path = result["links"]["next"]
    assert len(seen) == len(set(seen)) == 37


def test_detail_has_the_full_record(api: Api) -> None:
    record = body(api.get(f"/municipalities/{STEINFURT}"))
    assert record["population"] == {"count": 448220, "as_of": "2019-12-31"}
    assert record["participation"]["milestones"][1]["date"] == "2019-02-20"
    assert record["version"] == 1
    assert record["links"]["self"] == f"/municipalities/{STEINFURT}"


def test_office_and_contact_link_back_to_their_municipality(api: Api) -> None:
    office = body(api.get("/offices/ki-kreis-steinfurt"))
    assert office["municipality"]["id"] == STEINFURT
    contact = body(api.get(f"/contacts/{HIERONIMUS}"))
    assert contact["municipality"]["links"]["self"] == f"/municipalities/{STEINFURT}"
    assert contact["office"]["id"] == "ki-kreis-steinfurt"


def test_peers_carry_distance_and_regierungsbezirk(api: Api) -> None:
    result = body(api.get(f"/municipalities/{STEINFURT}/peers?limit=3"))
    items = result["items"]
    assert len(items) == 3
    assert items[0]["name"] == "Stadt Rheine"  # a kreisangehörige participant in Kreis Steinfurt
    assert items[0]["same_regierungsbezirk"] is True
    assert [i["distance_km"] for i in items] == sorted(i["distance_km"] for i in items)
    assert STEINFURT not in [i["id"] for i in items]


def test_near_query_adds_distances(api: Api) -> None:
    result = body(api.get("/municipalities?near=51.96,7.62&radius_km=40"))
    assert [i["name"] for i in result["items"]] == ["Stadt Münster", "Kreis Steinfurt", "Stadt Rheine"]
    distances = [i["distance_km"] for i in result["items"]]
    assert distances == sorted(distances) and distances[-1] <= 40


def test_filter_values_fold_like_search(api: Api) -> None:
    result = body(api.get("/municipalities?regierungsbezirk=koeln"))
    assert {i["name"] for i in result["items"]} == {
        "Stadt Köln",
        "Stadt Leverkusen",
        "Kreis Heinsberg",
        "StädteRegion Aachen",
        "Stadt Eschweiler",
        "Stadt Stolberg (Rhld.)",
        "Stadt Brühl",
        "Oberbergischer Kreis",
        "Stadt Gummersbach",
        "Gemeinde Engelskirchen",
        "Stadt Hückeswagen",
        "Gemeinde Lindlar",
        "Gemeinde Marienheide",
        "Gemeinde Morsbach",
    }
    assert body(api.get("/municipalities?kind=kreisfreie%20stadt"))["total"] == 13


def test_etag_and_if_none_match(api: Api) -> None:
    first = api.get(f"/municipalities/{STEINFURT}")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    again = api.get(f"/municipalities/{STEINFURT}", **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.body in (b"", "")
    assert again.headers["ETag"] == etag
    other = api.get(f"/municipalities/{STEINFURT}", **{"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_list_etag_changes_with_the_result(api: Api) -> None:
    a = api.get("/municipalities?q=steinfurt").headers["ETag"]
    b = api.get("/municipalities?q=soest").headers["ETag"]
    assert a != b
    assert api.get("/municipalities?q=soest", **{"If-None-Match": b}).status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/municipalities?q=x",
        f"/municipalities/{STEINFURT}",
        "/health",
        "/municipalities/00000",
        "/municipalities?limit=0",
    ],
)
def test_cors_is_open_on_every_response(api: Api, path: str) -> None:
    response = api.get(path, Origin="https://www.kreis-steinfurt.de")
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/municipalities?color=blue", 400, "unknown_parameter"),
        ("/municipalities?limit=abc", 400, "invalid_parameter"),
        ("/municipalities?limit=0", 400, "invalid_parameter"),
        ("/municipalities?limit=101", 400, "invalid_parameter"),
        ("/municipalities?limit=1&limit=2", 400, "invalid_parameter"),
        ("/municipalities?near=52.1", 400, "invalid_parameter"),
        ("/municipalities?near=abc,def", 400, "invalid_parameter"),
        ("/municipalities?near=95,7", 400, "invalid_parameter"),
        ("/municipalities?near=nan,7", 400, "invalid_parameter"),
        ("/municipalities?radius_km=5", 400, "invalid_parameter"),
        ("/municipalities?near=52,7&radius_km=-1", 400, "invalid_parameter"),
        ("/municipalities?cursor=not-a-cursor", 400, "invalid_parameter"),
        ("/municipalities?q=" + "x" * 101, 400, "invalid_parameter"),
        ("/municipalities?kind=Bundesland", 400, "invalid_parameter"),
        ("/municipalities?regierungsbezirk=Hamburg", 400, "invalid_parameter"),
        ("/municipalities?language=%21%21", 400, "invalid_parameter"),
        ("/municipalities/05999", 404, "not_found"),
        ("/municipalities/abc", 400, "invalid_parameter"),
        ("/municipalities/05999/peers", 404, "not_found"),
        (f"/municipalities/{STEINFURT}/peers?limit=1000", 400, "invalid_parameter"),
        (f"/municipalities/{STEINFURT}?expand=all", 400, "unknown_parameter"),
        ("/offices/no-such-office", 404, "not_found"),
        ("/contacts/c-0000", 404, "not_found"),
        ("/contacts/..%2F..", 400, "invalid_parameter"),
    ],
)
def test_bad_input_gets_a_4xx_envelope(api: Api, path: str, status: int, code: str) -> None:
    assert error_of(api.get(path), status)["code"] == code


def test_unknown_kind_lists_the_allowed_values(api: Api) -> None:
    details = body(api.get("/municipalities?kind=Bundesland"))["error"]["details"]
    assert "kreisfreie Stadt" in details["allowed"]


def test_a_write_shows_up_on_the_next_request(api: Api) -> None:
    synthetic = Synthetic(seed=5)
    created = api.writer.create(synthetic.model(name="Stadt Neuheim", seat="Neuheim"))
    before = api.get("/municipalities?q=neuheim")
    assert [i["id"] for i in body(before)["items"]] == [created.id]
    renamed = created.model_copy(update={"name": "Stadt Altheim", "seat": "Altheim"})
    api.writer.replace(renamed, expected_version=created.version)
    assert body(api.get("/municipalities?q=neuheim"))["items"] == []
    record = body(api.get(f"/municipalities/{created.id}"))
    assert record["name"] == "Stadt Altheim"
    assert record["version"] == 2
    assert int(api.get("/").headers["X-Directory-Revision"]) >= 3


def test_a_deleted_contact_disappears_everywhere(api: Api) -> None:
    synthetic = Synthetic(seed=6)
    created = api.writer.create(synthetic.model(contacts=1))
    contact = created.offices[0].contacts[0]
    assert api.get(f"/contacts/{contact.id}").status_code == 200
    office = created.offices[0].model_copy(update={"contacts": []})
    api.writer.replace(created.model_copy(update={"offices": [office]}), expected_version=created.version)
    assert api.get(f"/contacts/{contact.id}").status_code == 404
    assert contact.id not in api.get(f"/municipalities?q={contact.family_name}").body.decode()
    assert contact.id not in api.get(f"/municipalities/{created.id}").body.decode()


def test_non_public_contacts_are_never_served(api: Api) -> None:
    synthetic = Synthetic(seed=12)
    record = synthetic.municipality(contacts=0)
    hidden = synthetic.contact(public=False, family_name="Privatperson", email="hidden@example.org")
    record["offices"][0]["contacts"] = [hidden]
    created = api.writer.create(Municipality.model_validate(record))
    detail = api.get(f"/municipalities/{created.id}").body.decode()
    assert "Privatperson" not in detail and "hidden@example.org" not in detail
    assert api.get(f"/contacts/{hidden['id']}").status_code == 404
    assert body(api.get("/municipalities?q=privatperson"))["total"] == 0


def test_health_reports_the_snapshot(api: Api) -> None:
    result = body(api.get("/health"))
    assert result["status"] == "ok"
    assert result["municipalities"] == 37


def test_index_links_and_filters(api: Api) -> None:
    result = body(api.get("/"))
    assert result["links"]["municipalities"] == "/municipalities"
    ids = {
        "municipality": STEINFURT,
        "peers": STEINFURT,
        "office": "ki-kreis-steinfurt",
        "contact": HIERONIMUS,
    }
    for name, template in result["links"].items():  # every advertised link answers
        path = template.replace("{id}", ids.get(name.split("_")[0], ""))
        assert api.get(path).status_code == 200, name
    assert result["filters"]["topic"] == ["Integration"]
    assert "Münster" in result["filters"]["regierungsbezirk"]


def test_stale_but_serving_during_an_outage(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalice.test import Client

    from app import app
    from chalicelib.write import importer
    from chalicelib.write.writer import DirectoryWriter

    server = MotoServer().start()
    try:
        store = make_store(server.endpoint)
        importer.load(DirectoryWriter(store))
        configure_service(monkeypatch, server.endpoint, store.table_name)
        with Client(app, stage_name="test") as client:
            warm = client.http.get("/municipalities?q=steinfurt")
            assert warm.status_code == 200
            assert "X-Directory-Stale" not in warm.headers
            server.stop()
            during = client.http.get("/municipalities?q=steinfurt")
            assert during.status_code == 200
            assert during.headers["X-Directory-Stale"] == "true"
            assert json.loads(during.body)["items"][0]["name"] == "Kreis Steinfurt"
            assert json.loads(client.http.get("/health").body)["status"] == "stale"
    finally:
        bootstrap.reset()


def test_cold_start_during_an_outage_is_a_503_envelope(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalice.test import Client

    from app import app

    server = MotoServer()  # never started: nothing listens on its port
    configure_service(monkeypatch, server.endpoint, "gk-directory-missing")
    with Client(app, stage_name="test") as client:
        response = client.http.get("/municipalities")
    bootstrap.reset()
    assert error_of(response, 503)["code"] == "directory_unavailable"
    assert response.headers["Retry-After"] == "5"


@pytest.mark.parametrize(
    "path",
    [
        "/municipalities?q=x",
        f"/municipalities/{STEINFURT}",
        f"/contacts/{HIERONIMUS}/vcard",
        "/vcards",
        "/widget.js",
    ],
)
def test_preflights_are_answered_over_real_http(live_api: LiveApi, path: str) -> None:
    # Chalice's test client cannot send OPTIONS; chalice local is the same gateway code.
    request = urllib.request.Request(
        live_api.url + path,
        method="OPTIONS",
        headers={
            "Origin": "https://www.kreis-steinfurt.de",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "GET" in response.headers["Access-Control-Allow-Methods"]
        assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]
