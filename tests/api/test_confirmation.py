"""Confirming without changing: POST /municipalities/{id}/confirmation ("Alles korrekt").

Through Chalice's Lambda handler (authorizer included) on moto over HTTP.
"""

from __future__ import annotations

from datetime import datetime

from tests.support.editing import (
    DUISBURG,
    HIERONIMUS,
    STEINFURT,
    STEINFURT_OFFICE,
    call,
    etag,
    token,
)
from tests.support.emulators import Api

CONFIRM = f"/municipalities/{STEINFURT}/confirmation"


def _public(api: Api, path: str) -> dict[str, object]:
    answer = call(api, "GET", path)
    assert answer.status == 200, answer.body
    body: dict[str, object] = answer.body
    return body


def test_shipped_entries_are_unconfirmed_until_their_office_confirms(api: Api) -> None:
    assert _public(api, f"/municipalities/{STEINFURT}")["confirmed_at"] is None
    listed = call(api, "GET", "/municipalities?limit=100").body["items"]
    assert listed and all("confirmed_at" in m for m in listed)


def test_confirmation_moves_confirmed_at_and_no_office_or_contact_etag(api: Api) -> None:
    bearer = token(f"municipality:{STEINFURT}", "KI Kreis Steinfurt")
    office_tag = etag(api, f"/offices/{STEINFURT_OFFICE}", bearer)
    contact_tag = etag(api, f"/contacts/{HIERONIMUS}", bearer)
    municipality_tag = etag(api, f"/municipalities/{STEINFURT}", bearer)

    answer = call(api, "POST", CONFIRM, bearer=bearer, if_match=municipality_tag)

    assert answer.status == 200, answer.body
    assert answer.body["confirmed_by"] == "KI Kreis Steinfurt"
    confirmed = datetime.fromisoformat(answer.body["confirmed_at"])
    assert answer.header("Cache-Control") == "private, no-store"
    assert answer.header("ETag") not in (None, municipality_tag)
    # nothing the office wrote changed: its entries keep their ETags, so no open form goes stale
    assert etag(api, f"/offices/{STEINFURT_OFFICE}", bearer) == office_tag
    assert etag(api, f"/contacts/{HIERONIMUS}", bearer) == contact_tag
    # the public sees it (no name of who confirmed), and the vCard's REV says it
    public = _public(api, f"/municipalities/{STEINFURT}")
    assert datetime.fromisoformat(str(public["confirmed_at"])) == confirmed
    assert "confirmed_by" not in public
    card = call(api, "GET", f"/contacts/{HIERONIMUS}/vcard").body
    assert f"REV:{confirmed.strftime('%Y-%m-%dT%H:%M:%SZ')}" in card.replace("\r\n ", "")


def test_confirmation_needs_the_municipalitys_current_etag(api: Api) -> None:
    bearer = token(f"municipality:{STEINFURT}")
    stale = etag(api, f"/municipalities/{STEINFURT}", bearer)
    assert call(api, "POST", CONFIRM, bearer=bearer).status == 428
    assert call(api, "POST", CONFIRM, bearer=bearer, if_match=stale).status == 200
    refused = call(api, "POST", CONFIRM, bearer=bearer, if_match=stale)
    assert refused.status == 412
    assert refused.body["error"]["code"] == "precondition_failed"


def test_confirmation_is_scoped_like_a_write(api: Api) -> None:
    other = token(f"municipality:{DUISBURG}")
    refused = call(api, "POST", CONFIRM, bearer=other, if_match="*")
    assert refused.status == 403
    assert _public(api, f"/municipalities/{STEINFURT}")["confirmed_at"] is None
    assert call(api, "POST", "/municipalities/05999/confirmation", bearer=token(), if_match="*").status == 404


def test_any_write_confirms_the_municipality_too(api: Api) -> None:
    bearer = token(f"municipality:{STEINFURT}", "KI Kreis Steinfurt")
    before = _public(api, f"/municipalities/{STEINFURT}")["confirmed_at"]
    changed = call(api, "PATCH", f"/contacts/{HIERONIMUS}", bearer=bearer, if_match="*",
                   body={"function": "Koordination"})
    assert changed.status == 200
    after = _public(api, f"/municipalities/{STEINFURT}")["confirmed_at"]
    assert before is None and after is not None
    assert datetime.fromisoformat(str(after)) == datetime.fromisoformat(changed.body["updated_at"])
    editable = call(api, "GET", f"/municipalities/{STEINFURT}", bearer=bearer).body
    assert editable["confirmed_by"] == "KI Kreis Steinfurt"


def test_the_report_shows_admins_what_needs_attention_first(api: Api) -> None:
    admin = token("admin", "Initiative")
    steinfurt = token(f"municipality:{STEINFURT}", "KI Kreis Steinfurt")
    assert call(api, "GET", "/edit/report", bearer=steinfurt).status == 403
    assert call(api, "POST", CONFIRM, bearer=steinfurt, if_match="*").status == 200

    answer = call(api, "GET", "/edit/report", bearer=admin)

    assert answer.status == 200
    assert answer.header("Cache-Control") == "private, no-store"
    rows = answer.body["municipalities"]
    assert len(rows) == 37
    ranks = [("office" not in r["missing"], r["id"]) for r in rows]
    assert [rank for rank, _ in ranks] == sorted(rank for rank, _ in ranks)  # no office: first
    assert rows[0]["missing"][0] == "office"
    mine = next(r for r in rows if r["id"] == STEINFURT)
    assert mine["confirmed_by"] == "KI Kreis Steinfurt" and mine["token_live"] is True
    assert mine["token_last_used"] is not None
    assert "confirmation" not in mine["missing"] and "live token" not in mine["missing"]
    heinsberg = next(r for r in rows if r["id"] == "05370")
    assert (heinsberg["public_contacts"], heinsberg["offices_with_email"]) == (1, 0)
    assert heinsberg["missing"] == ["address", "phone", "e-mail", "confirmation", "live token"]
    assert "klever" not in answer.body.__repr__().lower()  # counts, never a contact's details


def test_an_import_keeps_the_confirmation_it_finds(api: Api) -> None:
    from chalicelib.write import importer
    from chalicelib.write.reference import load_reference

    bearer = token(f"municipality:{STEINFURT}", "KI Kreis Steinfurt")
    confirmed = call(api, "POST", CONFIRM, bearer=bearer, if_match="*").body["confirmed_at"]
    shipped = importer.read_directory(importer.DEFAULT_DIRECTORY, load_reference(importer.DEFAULT_REFERENCE))
    changed = [type(m).model_validate({**m.model_dump(), "website": "https://www.example.org/"})
               if m.id == STEINFURT else m for m in shipped]
    api.writer.import_all(changed)  # new content for Steinfurt, and no word on its confirmation
    editable = call(api, "GET", f"/municipalities/{STEINFURT}", bearer=bearer).body
    assert editable["website"] == "https://www.example.org/"
    assert (editable["confirmed_at"], editable["confirmed_by"]) == (confirmed, "KI Kreis Steinfurt")
