"""Invitations: one municipality-scoped token per municipality, as a mail-merge row.

The token goes into the row's sign-in link and nowhere else — the table keeps its hash
(auth/tokens.py), nothing prints or logs it. Shared by `invite` and `report --stale`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.auth.tokens import Tokens
from chalicelib.domain import entries
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.entries import Json
from chalicelib.domain.principal import MUNICIPALITY_SCOPE
from chalicelib.domain.views import is_public
from chalicelib.storage.tokens import TokenRecord
from chalicelib.write.report import is_live, tokens_of

# `--renew` replaces invitations that would expire within this: a reminder must outlive its round.
RENEW_WITHIN = timedelta(days=14)
COORDINATING = "geschäftsführende Stelle"
HEADER = (
    "municipality", "municipality_name", "office_name", "office_email", "contact_email",
    "label", "expires_utc", "sign_in_link",
)


@dataclass(frozen=True)
class Invitation:
    municipality_id: str
    municipality_name: str
    office_name: str | None
    office_email: str | None
    contact_email: str | None
    label: str | None
    expires_at: str | None
    link: str | None

    def row(self) -> list[str | None]:
        expires = self.expires_at and datetime.fromisoformat(self.expires_at).strftime("%Y-%m-%d %H:%M")
        return [
            self.municipality_id, self.municipality_name, self.office_name, self.office_email,
            self.contact_email, self.label, expires, self.link,
        ]


def living(stored: Iterable[StoredDocument]) -> dict[str, Json]:
    documents = {d.municipality_id: json.loads(d.document) for d in stored}
    return {k: doc for k, doc in sorted(documents.items()) if not entries.is_deleted(doc)}


def coordinating_office(doc: Json) -> Json | None:
    """The office to write to: the geschäftsführende Stelle, else the first one."""
    offices = list(doc.get("offices", []))
    return next((o for o in offices if o.get("role") == COORDINATING), offices[0] if offices else None)


def addressee(doc: Json, label: str | None = None, expires_at: str | None = None,
              link: str | None = None) -> Invitation:
    office = coordinating_office(doc)
    contact = next((c for c in (office or {}).get("contacts", []) if is_public(c) and c.get("email")), None)
    return Invitation(
        doc["id"], doc.get("name", ""), office.get("name") if office else None,
        office.get("email") if office else None, contact.get("email") if contact else None,
        label, expires_at, link,
    )


def live_tokens(records: Iterable[TokenRecord], municipality_id: str, now: datetime) -> list[TokenRecord]:
    return [r for r in tokens_of(records, municipality_id) if is_live(r, now)]


def expiring(record: TokenRecord, now: datetime) -> bool:
    return bool(record.expires_at) and datetime.fromisoformat(record.expires_at or "") - now <= RENEW_WITHIN


def invite(tokens: Tokens, doc: Json, replacing: Iterable[TokenRecord], expires_in: timedelta,
           api_url: str, now: datetime) -> Invitation:
    """Revoke `replacing`, make a fresh token for the municipality, and the row that carries it."""
    for old in replacing:
        tokens.revoke(old.token_id)
    label = f"Einladung {doc.get('name', doc['id'])} ({doc['id']}) {now:%Y-%m-%d}"
    token, record = tokens.create(MUNICIPALITY_SCOPE + doc["id"], label, expires_in)
    return addressee(doc, record.label, record.expires_at, f"{api_url}/edit#token={token}")
