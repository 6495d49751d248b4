"""Contact persons are people: a deleted or withdrawn contact leaves no trace but a tombstone.

On moto and on dynalite. Also: no log line ever carries what the writes carried.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import boto3
import pytest

from tests.support.editing import STEINFURT, STEINFURT_OFFICE, call, etag, token
from tests.support.emulators import Api
from tests.support.packs import FORMAT, pack_text

PERSON = {
    "given_name": "Zeynep",
    "family_name": "Quellenberg-Øzdemir",
    "function": "Bildungsberatung Quartier",
    "phone": "+49 2551 69-2777",
    "fax": "+49 2551 69-2778",
    "email": "z.quellenberg@example.org",
    "topics": ["Sprachkursberatung"],
    "languages": ["tr"],
    "public": True,
}
# What a trace of the person would look like in any output.
TRACES = ("Quellenberg", "Zeynep", "z.quellenberg", "2551692777", "2551 692777", "Sprachkursberatung")


def _raw_items(api: Api) -> str:
    """Every item of the table as text — the packs (compressed copies for cold starts) unpacked."""
    client = boto3.client("dynamodb", endpoint_url=api.endpoint, region_name="eu-central-1")
    pages = client.get_paginator("scan").paginate(TableName=api.store.table_name, ConsistentRead=True)
    items = [item for page in pages for item in page["Items"]]
    packs = [item for item in items if "B" in item.get("data", {})]
    pack = api.store.read_pack(FORMAT)
    if pack is not None:
        assert {item["sk"]["S"][:20] for item in packs if item["pk"]["S"] == "PACK"} <= {f"{pack[0]:020d}"}
    else:
        assert packs == []  # no pointer, no chunk: nothing unreadable is left behind
    documents = pack_text(pack[1]) if pack else ""
    return json.dumps([items, documents], ensure_ascii=False, default=lambda _: "<packed>")


def _public_outputs(api: Api, contact_id: str) -> dict[str, Any]:
    paths = [
        "/municipalities?q=Quellenberg",
        "/municipalities?q=Sprachkursberatung",
        "/municipalities?topic=Sprachkursberatung",
        "/municipalities?language=tr",
        f"/municipalities/{STEINFURT}",
        f"/municipalities/{STEINFURT}/peers",
        f"/offices/{STEINFURT_OFFICE}",
        "/municipalities?limit=100",
        f"/contacts/{contact_id}",
        f"/contacts/{contact_id}/vcard",
        f"/contacts/{contact_id}/qr.svg",
        f"/offices/{STEINFURT_OFFICE}/vcard",
        f"/municipalities/{STEINFURT}/vcard",
        "/vcards",
        "/",
    ]
    return {path: call(api, "GET", path) for path in paths}


def _added(api: Api, admin: str) -> str:
    created = call(
        api, "POST", f"/offices/{STEINFURT_OFFICE}/contacts", bearer=admin, body=PERSON, if_match="*"
    )
    assert created.status == 201, created.body
    contact_id: str = created.body["id"]
    return contact_id


def _assert_gone(api: Api, contact_id: str) -> None:
    for path, answer in _public_outputs(api, contact_id).items():
        body = answer.body
        if isinstance(body, dict) and "items" in body:
            body = body["items"]  # the search's own links repeat the query, not the directory
        text = json.dumps(body, ensure_ascii=False) if not isinstance(body, str) else body
        for trace in TRACES:
            assert trace not in text, (path, trace)
        if path.startswith(f"/contacts/{contact_id}"):
            assert answer.status == 404, path


def test_a_new_contact_is_everywhere_first(backend_api: Api) -> None:
    # The check below is only worth something if the person was visible before.
    contact_id = _added(backend_api, token())
    outputs = _public_outputs(backend_api, contact_id)
    seen = [
        path
        for path, answer in outputs.items()
        if "Quellenberg" in json.dumps(answer.body, ensure_ascii=False)
    ]
    assert f"/contacts/{contact_id}" in seen
    assert f"/contacts/{contact_id}/vcard" in seen
    assert "/vcards" in seen
    assert "/municipalities?language=tr" in seen
    assert outputs[f"/contacts/{contact_id}/qr.svg"].status == 200


def test_deleting_a_contact_erases_the_person_everywhere(backend_api: Api) -> None:
    admin = token()
    since = int(call(backend_api, "GET", "/changes").body["revision"])
    contact_id = _added(backend_api, admin)
    deleted = call(
        backend_api,
        "DELETE",
        f"/contacts/{contact_id}",
        bearer=admin,
        if_match=etag(backend_api, f"/contacts/{contact_id}", admin),
    )
    assert deleted.status == 204
    _assert_gone(backend_api, contact_id)
    stored = _raw_items(backend_api)
    for trace in TRACES:
        assert trace not in stored, trace
    assert contact_id in stored  # the tombstone
    feed = call(backend_api, "GET", f"/changes?since={since}").body["items"]
    tombstone = [c for c in feed if c["id"] == contact_id and c.get("deleted")]
    assert len(tombstone) == 1
    assert set(tombstone[0]) == {"revision", "kind", "id", "municipality", "operation", "at", "deleted"}
    assert call(backend_api, "GET", f"/contacts/{contact_id}", bearer=admin).status == 404


def test_withdrawing_a_contact_from_the_public_removes_them_from_every_public_output(
    backend_api: Api,
) -> None:
    admin = token()
    contact_id = _added(backend_api, admin)
    since = int(call(backend_api, "GET", "/changes").body["revision"])
    withdrawn = call(
        backend_api,
        "PATCH",
        f"/contacts/{contact_id}",
        bearer=admin,
        body={"public": False},
        if_match=etag(backend_api, f"/contacts/{contact_id}", admin),
    )
    assert withdrawn.status == 200
    _assert_gone(backend_api, contact_id)
    feed = call(backend_api, "GET", f"/changes?since={since}").body["items"]
    assert [c["operation"] for c in feed if c["id"] == contact_id] == ["deleted"]
    # the editor still sees the person, and can make them public again
    private = call(backend_api, "GET", f"/contacts/{contact_id}", bearer=admin)
    assert private.body["family_name"] == PERSON["family_name"]
    back = call(
        backend_api,
        "PATCH",
        f"/contacts/{contact_id}",
        bearer=admin,
        body={"public": True},
        if_match=private.body["etag"],
    )
    assert back.status == 200
    assert call(backend_api, "GET", f"/contacts/{contact_id}").status == 200
    latest = call(backend_api, "GET", f"/changes?since={since}").body["items"]
    assert [c["operation"] for c in latest if c["id"] == contact_id] == ["updated"]


def test_no_log_line_carries_what_was_written(backend_api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="chalicelib")
    caplog.set_level(logging.DEBUG, logger="gk-directory")
    caplog.set_level(logging.INFO)
    admin = token()
    secrets_seen = [admin]
    contact_id = _added(backend_api, admin)
    path = f"/contacts/{contact_id}"
    bad = {"phone": "+49 1", "email": "no-at-sign.example.org", "given_name": "Ünlü\u0000"}
    assert call(backend_api, "PATCH", path, bearer=admin, body=bad, if_match="*").status == 422
    assert (
        call(backend_api, "PATCH", path, bearer=admin, body={"function": "x"}, if_match='"stale"').status
        == 412
    )
    assert call(backend_api, "PATCH", path, bearer="gk_" + "Z" * 43, body=PERSON, if_match="*").status == 401
    scoped = token(f"municipality:{STEINFURT}", "Koordination Steinfurt")
    secrets_seen.append(scoped)
    assert (
        call(
            backend_api, "PATCH", path, bearer=scoped, body={"phone": "+49 2551 69-2555"}, if_match="*"
        ).status
        == 200
    )
    assert call(backend_api, "DELETE", path, bearer=scoped, if_match="*").status == 204
    logged = "\n".join(record.getMessage() + str(record.args) for record in caplog.records)
    assert caplog.records  # the writes did log (ids, revisions): the check below reads real lines
    for value in (*TRACES, "2551692555", "no-at-sign", "Ünlü", "gk_" + "Z" * 43, *secrets_seen):
        assert value not in logged, value
