"""Who may change a municipality's participation, route by route, and the checks every path applies.

Participation (status, since, via, milestones, sources) is the initiative's record of a
municipality: admins change it, by the API or the import, with the import's checks
(the reference table, ``participation.via`` naming a Kreis of the directory). A
municipality's own token edits its website, offices and contacts — never participation,
on PATCH or PUT (the editing page writes through the same routes).
"""

from __future__ import annotations

from typing import Any

import boto3

from chalicelib.storage.keys import municipality_key
from tests.support.editing import call, etag, token
from tests.support.emulators import Api

STOLBERG = "05334032"  # participates via StädteRegion Aachen (05334)
BRUEHL = "05362012"  # its Kreis, the Rhein-Erft-Kreis (05362), is not in the directory


def _item(api: Api, municipality_id: str) -> dict[str, Any]:
    client = boto3.client("dynamodb", endpoint_url=api.endpoint, region_name="eu-central-1")
    found: dict[str, Any] = client.get_item(
        TableName=api.store.table_name, Key=municipality_key(municipality_id), ConsistentRead=True
    ).get("Item", {})
    return found


def _editable(api: Api, bearer: str) -> dict[str, Any]:
    answer = call(api, "GET", f"/municipalities/{STOLBERG}", bearer=bearer)
    assert answer.status == 200
    body: dict[str, Any] = answer.body
    return body


def test_a_municipality_token_may_not_change_participation_on_any_route(backend_api: Api) -> None:
    api = backend_api
    own = token(f"municipality:{STOLBERG}", "Stadt Stolberg (Rhld.)")
    stored = _editable(api, own)
    before = api.store.get_document(STOLBERG)
    changes: list[tuple[str, dict[str, Any]]] = [
        ("PATCH", {"participation": {"status": "reported"}}),
        ("PATCH", {"participation": {"sources": ["https://example.org/erfunden"]}}),
        ("PATCH", {"participation": {"milestones": [{"kind": "funding", "date": "2020", "label": "M"}]}}),
        ("PATCH", {"participation": {"via": None}}),
        ("PATCH", {"participation": {"since": "2017"}}),
        ("PUT", {**stored, "participation": {**stored["participation"], "status": "reported"}}),
        ("PUT", {**stored, "participation": {"status": "confirmed"}}),
    ]
    for method, body in changes:
        answer = call(api, method, f"/municipalities/{STOLBERG}", bearer=own, body=body,
                      if_match=stored["etag"])
        assert answer.status == 403, (method, body, answer.body)
        assert answer.body["error"]["code"] == "forbidden"
        assert answer.body["error"]["details"]["pointer"] == "/participation"
        assert "example.org" not in str(answer.body)
    assert api.store.get_document(STOLBERG) == before

    # Everything else stays the municipality's own: the same participation sent back is no change.
    website = call(api, "PATCH", f"/municipalities/{STOLBERG}", bearer=own,
                   body={"website": "https://www.stolberg.de/"}, if_match=stored["etag"])
    assert website.status == 200, website.body
    again = _editable(api, own)
    put = call(api, "PUT", f"/municipalities/{STOLBERG}", bearer=own,
               body={**again, "website": "https://www.stolberg.de/integration"}, if_match=again["etag"])
    assert put.status == 200, put.body
    assert put.body["participation"] == stored["participation"]


def test_an_admin_changes_participation_with_the_imports_checks(backend_api: Api) -> None:
    api = backend_api
    admin = token("admin", "Initiative")
    stored = _editable(api, admin)
    changed = call(api, "PATCH", f"/municipalities/{STOLBERG}", bearer=admin,
                   body={"participation": {"status": "reported"}}, if_match=stored["etag"])
    assert changed.status == 200, changed.body
    assert changed.body["participation"]["status"] == "reported"
    assert changed.body["participation"]["via"] == "05334"

    bruehl = call(api, "GET", f"/municipalities/{BRUEHL}", bearer=admin)
    before = _item(api, BRUEHL)
    refused = call(api, "PATCH", f"/municipalities/{BRUEHL}", bearer=admin,
                   body={"participation": {"via": "05362"}}, if_match=bruehl.header("ETag"))
    assert refused.status == 422, refused.body
    assert refused.body["error"]["details"]["errors"][0]["pointer"] == "/participation/via"
    not_own = call(api, "PATCH", f"/municipalities/{BRUEHL}", bearer=admin,
                   body={"participation": {"via": "05334"}}, if_match=bruehl.header("ETag"))
    assert not_own.status == 422  # the model: a Kommune is served by its own Kreis only
    assert _item(api, BRUEHL) == before

    kreis = call(api, "PUT", "/municipalities/05362", bearer=admin,
                 body={"participation": {"status": "reported"}}, headers={"If-None-Match": "*"})
    assert kreis.status == 201, kreis.body
    accepted = call(api, "PATCH", f"/municipalities/{BRUEHL}", bearer=admin,
                    body={"participation": {"via": "05362"}},
                    if_match=etag(api, f"/municipalities/{BRUEHL}", admin))
    assert accepted.status == 200, accepted.body
