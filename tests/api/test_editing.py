"""The editing API through Chalice's Lambda handler (authorizer included), on moto over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from app import app
from chalicelib import bootstrap
from chalicelib.auth.tokens import Tokens
from chalicelib.storage.tokens import TokenStore
from tests.support.editing import (
    DUISBURG,
    DUISBURG_OFFICE,
    HIERONIMUS,
    STEINFURT,
    STEINFURT_OFFICE,
    call,
    etag,
    token,
)
from tests.support.emulators import Api, LiveApi

NEW_CONTACT = {
    "given_name": "Jürgen",
    "family_name": "Größmann",
    "function": "Koordination",
    "phone": "+49 2551 69-2999",
    "fax": "+49 2551 69-2998",
    "email": "j.groessmann@example.org",
    "topics": ["Ausbildung"],
    "languages": ["ar", "de"],
    "public": True,
}


def _table_items(api: Api) -> list[dict[str, object]]:
    client = boto3.client("dynamodb", endpoint_url=api.endpoint, region_name="eu-central-1")
    pages = client.get_paginator("scan").paginate(TableName=api.store.table_name, ConsistentRead=True)
    items: list[dict[str, object]] = [dict(item) for page in pages for item in page["Items"]]
    return sorted(items, key=lambda i: (str(i["pk"]), str(i["sk"])))


def _directory_items(api: Api) -> list[dict[str, object]]:
    """The directory, its marker and change log: what a refused write must leave as it was.

    Token items change on use (last_used_at), and any read may write a pack for cold starts.
    """
    return [
        i for i in _table_items(api)
        if i["pk"] in ({"S": "DIRECTORY"}, {"S": "CHANGES"}) or i["sk"] == {"S": "REVISION"}
    ]


# -- who may write ------------------------------------------------------------------------


def _refusal(view_name: str) -> bool:
    # chalicelib/web/unrouted.py: the 405 of a method a path lacks, and the 404 of no path
    return view_name.startswith("refuse") or view_name == "not_found"


def _write_routes() -> list[tuple[str, str]]:
    """Every route that could change something: any method but the reads, refusals aside."""
    return sorted(
        (method, path)
        for path, methods in app.routes.items()
        for method, entry in methods.items()
        if method not in ("GET", "HEAD", "OPTIONS") and not _refusal(entry.view_name)
    )


def _concrete(path: str) -> str:
    return (
        path.replace("{municipality_id}", STEINFURT)
        .replace("{office_id}", STEINFURT_OFFICE)
        .replace("{contact_id}", HIERONIMUS)
    )


def _expired_token() -> str:
    past = datetime.now(UTC) - timedelta(days=2)
    tokens = Tokens(TokenStore(bootstrap.client(), bootstrap.settings().table_name), clock=lambda: past)
    made, _ = tokens.create("admin", "expired", expires_in=timedelta(days=1))
    return made


def _revoked_token() -> str:
    made = token("admin", "revoked")
    bootstrap.tokens().revoke("revoked")
    return made


def test_there_are_write_routes_and_all_sit_behind_the_authorizer() -> None:
    routes = _write_routes()
    assert len(routes) >= 10
    assert ("POST", "/municipalities/{municipality_id}/confirmation") in routes  # "Alles korrekt"
    # the reads a token unlocks sit behind it too
    assert app.routes["/edit/session"]["GET"].authorizer is not None
    assert app.routes["/edit/report"]["GET"].authorizer is not None
    for method, path in routes:
        entry = app.routes[path][method]
        assert entry.authorizer is not None, (method, path)
        assert entry.authorizer.name == "token_authorizer"


@pytest.mark.parametrize(
    ("credentials", "status"),
    [
        ("none", 401),
        ("malformed", 401),
        ("basic", 401),
        ("unknown", 401),
        ("expired", 401),
        ("revoked", 401),
        ("wrong scope", 403),
    ],
)
def test_every_write_route_refuses_without_a_fitting_token(api: Api, credentials: str, status: int) -> None:
    header: dict[str, str] = {}
    if credentials == "malformed":
        header = {"Authorization": "Bearer not-a-token"}
    elif credentials == "basic":
        header = {"Authorization": "Basic dXNlcjpwYXNz"}
    elif credentials == "unknown":
        header = {"Authorization": "Bearer gk_" + "A" * 43}
    elif credentials == "expired":
        header = {"Authorization": f"Bearer {_expired_token()}"}
    elif credentials == "revoked":
        header = {"Authorization": f"Bearer {_revoked_token()}"}
    elif credentials == "wrong scope":
        header = {"Authorization": f"Bearer {token(f'municipality:{DUISBURG}')}"}
    before = _directory_items(api)
    for method, path in _write_routes():
        answer = call(api, method, _concrete(path), body={"name": "x"}, if_match="*", headers=header)
        assert answer.status == status, (method, path, answer.body)
        assert set(answer.body["error"]) == {"code", "message", "details"}
        assert answer.header("Access-Control-Allow-Origin") == "*"
        if status == 401:
            assert (
                answer.header(
                    "WWW-Authenticate",
                )
                is not None
            )
            assert answer.body["error"]["code"] == "unauthenticated"
        else:
            assert answer.body["error"]["code"] == "forbidden"
    assert _directory_items(api) == before


def test_401_answers_do_not_tell_unknown_from_revoked(api: Api) -> None:
    unknown = call(api, "DELETE", f"/contacts/{HIERONIMUS}", bearer="gk_" + "B" * 43, if_match="*")
    revoked = call(api, "DELETE", f"/contacts/{HIERONIMUS}", bearer=_revoked_token(), if_match="*")
    expired = call(api, "DELETE", f"/contacts/{HIERONIMUS}", bearer=_expired_token(), if_match="*")
    assert unknown.status == revoked.status == expired.status == 401
    assert unknown.body == revoked.body == expired.body


def test_a_municipality_token_changes_its_municipality_and_nothing_else(api: Api) -> None:
    steinfurt = token(f"municipality:{STEINFURT}")
    office_etag = etag(api, f"/offices/{STEINFURT_OFFICE}", steinfurt)
    changed = call(
        api,
        "PATCH",
        f"/offices/{STEINFURT_OFFICE}",
        bearer=steinfurt,
        body={"role": "Koordinierende Stelle"},
        if_match=office_etag,
    )
    assert changed.status == 200, changed.body
    assert changed.body["role"] == "Koordinierende Stelle"
    municipality_etag = etag(api, f"/municipalities/{STEINFURT}", steinfurt)
    patched = call(
        api,
        "PATCH",
        f"/municipalities/{STEINFURT}",
        bearer=steinfurt,
        body={"website": "https://www.kreis-steinfurt.de/"},
        if_match=municipality_etag,
    )
    assert patched.status == 200, patched.body

    before = _directory_items(api)
    attempts = [
        ("PATCH", f"/offices/{DUISBURG_OFFICE}", {"role": "x"}),
        ("DELETE", f"/offices/{DUISBURG_OFFICE}", None),
        ("POST", f"/offices/{DUISBURG_OFFICE}/contacts", NEW_CONTACT),
        ("POST", f"/municipalities/{DUISBURG}/offices", {"name": "Neues Büro"}),
        ("PATCH", f"/municipalities/{DUISBURG}", {"website": "https://example.org/"}),
        ("PUT", f"/municipalities/{DUISBURG}", {"participation": {"status": "confirmed"}}),
        ("DELETE", f"/municipalities/{DUISBURG}", None),
        # creating or deleting a municipality is for admins, even one's own
        ("DELETE", f"/municipalities/{STEINFURT}", None),
        ("PUT", "/municipalities/05158", {"participation": {"status": "confirmed"}}),
    ]
    for method, path, body in attempts:
        answer = call(
            api,
            method,
            path,
            bearer=steinfurt,
            body=body,
            if_match="*",
            headers={"If-None-Match": "*"} if method == "PUT" else None,
        )
        assert answer.status == 403, (method, path, answer.body)
    assert call(api, "GET", f"/offices/{DUISBURG_OFFICE}", bearer=steinfurt).status == 403
    assert _directory_items(api) == before


# -- writes -------------------------------------------------------------------------------


def test_post_answers_201_with_location_entry_and_etag(api: Api) -> None:
    admin = token()
    office_etag = etag(api, f"/offices/{STEINFURT_OFFICE}", admin)
    created = call(
        api,
        "POST",
        f"/offices/{STEINFURT_OFFICE}/contacts",
        bearer=admin,
        body=NEW_CONTACT,
        if_match=office_etag,
    )
    assert created.status == 201, created.body
    contact_id = created.body["id"]
    assert created.header("Location") == f"/contacts/{contact_id}"
    assert created.header("ETag") == created.body["etag"]
    assert created.header("Cache-Control") == "private, no-store"
    assert created.body["phone"] == "+49255169299" + "9"
    assert created.body["updated_by"] == "test admin"
    # the ETag that came back is the one the next write needs
    renamed = call(
        api,
        "PATCH",
        f"/contacts/{contact_id}",
        bearer=admin,
        body={"function": "Leitung"},
        if_match=created.header("ETag"),
    )
    assert renamed.status == 200, renamed.body
    assert renamed.header("ETag") != created.header("ETag")


def test_the_writers_next_read_sees_the_write(api: Api) -> None:
    admin = token()
    created = call(
        api, "POST", f"/offices/{STEINFURT_OFFICE}/contacts", bearer=admin, body=NEW_CONTACT, if_match="*"
    )
    revision = int(created.header("X-Directory-Revision") or 0)
    read = call(api, "GET", f"/contacts/{created.body['id']}")
    assert read.status == 200
    assert int(read.header("X-Directory-Revision") or 0) >= revision
    assert read.body["name"] == "Jürgen Größmann"
    # public reads never show who edited
    assert "updated_by" not in read.body
    assert (read.header("Cache-Control") or "").startswith("public")


def test_writes_need_if_match_and_a_current_etag(api: Api) -> None:
    admin = token()
    path = f"/contacts/{HIERONIMUS}"
    missing = call(api, "PATCH", path, bearer=admin, body={"function": "x"})
    assert missing.status == 428
    assert missing.body["error"]["code"] == "precondition_required"
    current = etag(api, path, admin)
    assert call(api, "PATCH", path, bearer=admin, body={"function": "Neu"}, if_match=current).status == 200
    stale = call(api, "PATCH", path, bearer=admin, body={"function": "Alt"}, if_match=current)
    assert stale.status == 412
    assert stale.body["error"]["details"]["current"]["function"] == "Neu"
    assert stale.body["error"]["details"]["etag"] == etag(api, path, admin)
    assert call(api, "GET", path).body["function"] == "Neu"


def test_edits_of_different_entries_of_one_municipality_do_not_conflict(api: Api) -> None:
    admin = token()
    office_etag = etag(api, f"/offices/{STEINFURT_OFFICE}", admin)
    contact_etag = etag(api, f"/contacts/{HIERONIMUS}", admin)
    municipality_etag = etag(api, f"/municipalities/{STEINFURT}", admin)
    assert (
        call(
            api,
            "PATCH",
            f"/contacts/{HIERONIMUS}",
            bearer=admin,
            body={"topics": ["Integration", "Arbeit"]},
            if_match=contact_etag,
        ).status
        == 200
    )
    # the office's ETag leaves its contacts out: still current
    assert (
        call(
            api,
            "PATCH",
            f"/offices/{STEINFURT_OFFICE}",
            bearer=admin,
            body={"role": "Stelle"},
            if_match=office_etag,
        ).status
        == 200
    )
    # the municipality's covers everything in it (a PUT replaces it all): now stale
    assert (
        call(
            api,
            "PATCH",
            f"/municipalities/{STEINFURT}",
            bearer=admin,
            body={"website": None},
            if_match=municipality_etag,
        ).status
        == 412
    )


def test_422_lists_every_invalid_field_with_a_pointer_and_no_value(api: Api) -> None:
    admin = token()
    bad = {
        "given_name": "",
        "family_name": "Ok",
        "phone": "+49 0",
        "fax": "+49 2551 1",
        "email": "jemand-at-example.org",
        "languages": ["deutsch!"],
        "colour": "blau",
    }
    answer = call(api, "POST", f"/offices/{STEINFURT_OFFICE}/contacts", bearer=admin, body=bad, if_match="*")
    assert answer.status == 422
    errors = answer.body["error"]["details"]["errors"]
    assert {e["pointer"] for e in errors} == {
        "/given_name",
        "/phone",
        "/fax",
        "/email",
        "/languages/0",
        "/colour",
    }
    text = str(answer.body)
    for value in ("+49 0", "+49 2551 1", "jemand-at-example.org", "deutsch!", "blau"):
        assert value not in text


def test_bodies_must_be_json_and_small(api: Api) -> None:
    admin = token()
    path = f"/contacts/{HIERONIMUS}"
    form = call(
        api,
        "PATCH",
        path,
        bearer=admin,
        body=b"function=x",
        if_match="*",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status == 415
    assert form.body["error"]["code"] == "unsupported_media_type"
    huge = call(api, "PATCH", path, bearer=admin, body={"function": "x" * 70_000}, if_match="*")
    assert huge.status == 413
    broken = call(api, "PATCH", path, bearer=admin, body=b'{"function": ', if_match="*")
    assert broken.status == 400
    assert call(api, "PATCH", path, bearer=admin, body=["a", "list"], if_match="*").status == 422
    merge = call(
        api,
        "PATCH",
        path,
        bearer=admin,
        body={"title": "Dr."},
        if_match="*",
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert merge.status == 200
    assert merge.body["title"] == "Dr."


def test_merge_patch_removes_fields_with_null(api: Api) -> None:
    admin = token()
    path = f"/contacts/{HIERONIMUS}"
    assert call(api, "GET", path).body["function"]
    removed = call(api, "PATCH", path, bearer=admin, body={"function": None}, if_match="*")
    assert removed.status == 200
    assert "function" not in removed.body
    assert call(api, "GET", path).body["function"] is None


def test_unchanged_patch_writes_nothing(api: Api) -> None:
    admin = token()
    path = f"/contacts/{HIERONIMUS}"
    current = call(api, "GET", path, bearer=admin).body
    before = _directory_items(api)
    same = call(
        api,
        "PATCH",
        path,
        bearer=admin,
        body={"family_name": current["family_name"]},
        if_match=current["etag"],
    )
    assert same.status == 200
    assert same.header("ETag") == current["etag"]
    # nothing was written: no new version, no revision, no change-log entry
    assert _directory_items(api) == before


def test_admin_creates_and_deletes_a_municipality(api: Api) -> None:
    admin = token()
    record = {"participation": {"status": "reported"}}
    missing_precondition = call(api, "PUT", "/municipalities/05158", bearer=admin, body=record)
    assert missing_precondition.status == 428
    created = call(
        api, "PUT", "/municipalities/05158", bearer=admin, body=record, headers={"If-None-Match": "*"}
    )
    assert created.status == 201, created.body
    assert created.header("Location") == "/municipalities/05158"
    # name, kind, seat … come from the reference table
    assert created.body["name"] == "Kreis Mettmann"
    assert call(api, "GET", "/municipalities/05158").status == 200
    deleted = call(api, "DELETE", "/municipalities/05158", bearer=admin, if_match=created.header("ETag"))
    assert deleted.status == 204
    assert call(api, "GET", "/municipalities/05158").status == 404
    changes = call(api, "GET", "/changes?since=0").body["items"]
    assert {"kind": "municipality", "id": "05158", "operation": "deleted"}.items() <= changes[-1].items()


def test_a_name_contradicting_the_reference_is_refused(api: Api) -> None:
    admin = token()
    answer = call(
        api,
        "PATCH",
        f"/municipalities/{STEINFURT}",
        bearer=admin,
        body={"kind": "kreisfreie Stadt"},
        if_match="*",
    )
    assert answer.status == 422


def test_a_write_without_a_token_is_refused_in_the_envelope_over_http(live_api: LiveApi) -> None:
    # API Gateway refuses it before the authorizer runs; the local server answers as the
    # deployment's gateway response does (devtools/local_gateway.py, infra/template.py).
    request = urllib.request.Request(
        f"{live_api.url}/contacts/{HIERONIMUS}",
        data=b"{}",
        method="PATCH",
        headers={"Content-Type": "application/json", "If-Match": "*"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    answer = refused.value
    assert answer.code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert json.loads(answer.read())["error"]["code"] == "unauthenticated"
