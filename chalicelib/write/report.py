"""Completeness and freshness of the directory, municipality by municipality, for the admins.

One row per participating municipality: its offices and contacts (public and not), what
its offices lack (address, phone, e-mail), its last change and confirmation, its live
token and that token's last use — and what is missing, sorted so that what needs
attention comes first. The admin command line prints it (`report`), the editing page
shows it to an admin token (GET /edit/report). Pure over stored documents and token
records; no value of a contact (names, numbers, addresses) leaves it, only counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime

from ..domain import entries
from ..domain.entries import Json
from ..domain.principal import MUNICIPALITY_SCOPE
from ..domain.views import is_public
from ..storage.tokens import TokenRecord

# What a row can lack, in the order of attention: an office comes before its details.
NO_OFFICE = "office"
NO_PUBLIC_CONTACT = "public contact"
NO_ADDRESS = "address"
NO_PHONE = "phone"
NO_EMAIL = "e-mail"
NEVER_CONFIRMED = "confirmation"
NO_TOKEN = "live token"  # noqa: S105 - what is missing, not a secret
ATTENTION = (NO_OFFICE, NO_PUBLIC_CONTACT, NO_ADDRESS, NO_PHONE, NO_EMAIL, NEVER_CONFIRMED, NO_TOKEN)


@dataclass(frozen=True)
class ReportRow:
    id: str
    name: str
    kind: str
    via: str | None  # served by its Kreis's office: it needs no office of its own
    offices: int
    public_contacts: int
    other_contacts: int
    offices_with_address: int
    offices_with_phone: int
    offices_with_email: int
    last_change: str | None
    last_change_by: str | None
    confirmed_at: str | None
    confirmed_by: str | None
    token_expires: str | None  # of its live token; None: none live (or one without expiry, see token_live)
    token_live: bool
    token_last_used: str | None
    missing: tuple[str, ...]

    def view(self) -> Json:
        view = asdict(self)
        view["missing"] = list(self.missing)
        return view


def is_live(record: TokenRecord, now: datetime) -> bool:
    if record.revoked_at:
        return False
    return not record.expires_at or datetime.fromisoformat(record.expires_at) > now


def tokens_of(records: Iterable[TokenRecord], municipality_id: str) -> list[TokenRecord]:
    return [r for r in records if r.scope == MUNICIPALITY_SCOPE + municipality_id]


def _later(*moments: str | None) -> str | None:
    present = [m for m in moments if m]
    return max(present, key=datetime.fromisoformat) if present else None


def _last_change(doc: Json) -> tuple[str | None, str | None]:
    """The newest updated_at of the municipality, its offices and contacts, and by whom."""
    found: tuple[str | None, str | None] = (None, None)
    offices = doc.get("offices", [])
    for entry in (doc, *offices, *(c for o in offices for c in o.get("contacts", []))):
        at = entry.get("updated_at")
        if at and (found[0] is None or datetime.fromisoformat(at) > datetime.fromisoformat(found[0])):
            found = (at, entry.get("updated_by"))
    return found


def row_of(doc: Json, tokens: list[TokenRecord], now: datetime) -> ReportRow:
    offices = list(doc.get("offices", []))
    contacts = [c for o in offices for c in o.get("contacts", [])]
    via = (doc.get("participation") or {}).get("via")
    live = [r for r in tokens if is_live(r, now)]
    with_address = sum(1 for o in offices if (o.get("address") or {}).get("locality"))
    with_phone = sum(1 for o in offices if o.get("phone"))
    with_email = sum(1 for o in offices if o.get("email"))
    public = sum(1 for c in contacts if is_public(c))
    missing: list[str] = []
    if not offices and not via:
        missing.append(NO_OFFICE)
    if offices:
        if not public:
            missing.append(NO_PUBLIC_CONTACT)
        for lacking, count in ((NO_ADDRESS, with_address), (NO_PHONE, with_phone), (NO_EMAIL, with_email)):
            if count < len(offices):
                missing.append(lacking)
    if not doc.get("confirmed_at"):
        missing.append(NEVER_CONFIRMED)
    if not live:
        missing.append(NO_TOKEN)
    changed_at, changed_by = _last_change(doc)
    return ReportRow(
        id=doc["id"],
        name=doc.get("name", ""),
        kind=doc.get("kind", ""),
        via=via,
        offices=len(offices),
        public_contacts=public,
        other_contacts=len(contacts) - public,
        offices_with_address=with_address,
        offices_with_phone=with_phone,
        offices_with_email=with_email,
        last_change=changed_at,
        last_change_by=changed_by,
        confirmed_at=doc.get("confirmed_at"),
        confirmed_by=doc.get("confirmed_by"),
        token_live=bool(live),
        token_expires=_later(*(r.expires_at for r in live)) if all(r.expires_at for r in live) else None,
        token_last_used=_later(*(r.last_used_at for r in tokens)),
        missing=tuple(missing),
    )


def attention(row: ReportRow) -> tuple[int, int, str, str]:
    """Sort key: the gravest lack first, then the most lacks, then the oldest confirmation."""
    first = min((ATTENTION.index(m) for m in row.missing), default=len(ATTENTION))
    return first, -len(row.missing), row.confirmed_at or "", row.id


def report(documents: Mapping[str, Json], tokens: Iterable[TokenRecord], now: datetime) -> list[ReportRow]:
    """Every living municipality's row, what needs attention first."""
    records = list(tokens)
    rows = [
        row_of(doc, tokens_of(records, municipality_id), now)
        for municipality_id, doc in documents.items()
        if not entries.is_deleted(doc)
    ]
    return sorted(rows, key=attention)
