"""The admins' report: what each municipality lacks, and what needs attention first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.storage.tokens import TokenRecord
from chalicelib.write.report import report

NOW = datetime(2027, 3, 15, 12, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _token(ags: str, *, expires: datetime | None = None, revoked: bool = False,
           used: datetime | None = None) -> TokenRecord:
    return TokenRecord(
        token_hash=f"h{ags}{expires}{revoked}", token_id=ags, label=f"Einladung {ags}",
        scope=f"municipality:{ags}", created_at=_iso(NOW - timedelta(days=30)),
        expires_at=_iso(expires) if expires else None, revoked_at=_iso(NOW) if revoked else None,
        last_used_at=_iso(used) if used else None,
    )


FULL_OFFICE: dict[str, Any] = {
    "id": "ki-full", "name": "KI", "address": {"locality": "Musterstadt"}, "phone": "+4925511",
    "email": "ki@example.org",
    "updated_at": _iso(NOW - timedelta(days=3)), "updated_by": "Einladung 05999",
    "contacts": [
        {"id": "c-1", "given_name": "A", "family_name": "B", "public": True},
        {"id": "c-2", "given_name": "C", "family_name": "D"},
    ],
}
DOCUMENTS: dict[str, dict[str, Any]] = {
    "05999": {"id": "05999", "name": "Kreis Voll", "kind": "Kreis", "offices": [FULL_OFFICE],
              "updated_at": _iso(NOW - timedelta(days=400)), "confirmed_at": _iso(NOW - timedelta(days=3)),
              "confirmed_by": "Einladung 05999"},
    "05998": {"id": "05998", "name": "Kreis Leer", "kind": "Kreis", "offices": []},
    "05999001": {"id": "05999001", "name": "Stadt Über", "kind": "kreisangehörige Stadt",
                 "participation": {"via": "05999"}},
    "05997": {"id": "05997", "name": "Kreis Halb", "kind": "Kreis",
              "offices": [{"id": "ki-halb", "name": "KI", "phone": "+4925512"}]},
    "05996": {"id": "05996", "deleted": True},
}


def test_rows_count_contacts_and_office_details_and_say_what_is_missing() -> None:
    tokens = [_token("05999", expires=NOW + timedelta(days=10), used=NOW - timedelta(hours=2)),
              _token("05997", expires=NOW - timedelta(days=1)), _token("05998", revoked=True)]
    rows = {row.id: row for row in report(DOCUMENTS, tokens, NOW)}

    assert set(rows) == {"05999", "05998", "05999001", "05997"}  # a deleted one is not reported
    full = rows["05999"]
    assert (full.offices, full.public_contacts, full.other_contacts) == (1, 1, 1)
    assert (full.offices_with_address, full.offices_with_phone, full.offices_with_email) == (1, 1, 1)
    assert full.last_change == FULL_OFFICE["updated_at"] and full.last_change_by == "Einladung 05999"
    assert full.token_live and full.token_expires == _iso(NOW + timedelta(days=10))
    assert full.token_last_used == _iso(NOW - timedelta(hours=2))
    assert full.missing == ()
    assert rows["05998"].missing == ("office", "confirmation", "live token")  # revoked is not live
    assert rows["05999001"].missing == ("confirmation", "live token")  # served through its Kreis
    assert rows["05997"].missing == ("public contact", "address", "e-mail", "confirmation", "live token")


def test_what_needs_attention_comes_first() -> None:
    order = [row.id for row in report(DOCUMENTS, [], NOW)]
    assert order == ["05998", "05997", "05999001", "05999"]
