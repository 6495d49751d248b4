"""Public representations of stored documents: what the API shows of a record.

The privacy rule lives here: only contacts flagged public are ever rendered, so
nothing downstream (JSON, vCards, widget) can leak a non-public person.
Links are paths under the configured public base URL.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .entries import Json
from .links import Links


@cache
def _phone_formatter() -> Any:
    # Only for documents written before display forms were stored with them
    # (write/document_edits.py: display_numbers): phonenumbers costs ~15 ms to import and
    # ~60 µs a number, which at 10,000 municipalities is seconds of every load.
    import phonenumbers

    def international(e164: str) -> str:
        number = phonenumbers.parse(e164, None)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    return international


def phone_display(e164: str | None) -> str | None:
    return _phone_formatter()(e164) if e164 else None


def _display(entry: Json, name: str) -> str | None:
    """The stored display form of a number (formatted at write time), or one formatted now."""
    number = entry.get(name)
    if not number:
        return None
    stored = entry.get(f"{name}_display")
    return stored if isinstance(stored, str) else phone_display(number)


def display_name(contact: Json) -> str:
    parts = [contact.get("title"), contact.get("given_name"), contact.get("family_name")]
    return " ".join(p for p in parts if p)


def is_public(contact: Json) -> bool:
    return contact.get("public") is True


def contact_view(contact: Json, office_id: str, municipality_id: str, links: Links) -> Json:
    return {
        "id": contact["id"],
        "title": contact.get("title"),
        "given_name": contact["given_name"],
        "family_name": contact["family_name"],
        "name": display_name(contact),
        "function": contact.get("function"),
        "phone": contact.get("phone"),
        "phone_display": _display(contact, "phone"),
        "fax": contact.get("fax"),
        "fax_display": _display(contact, "fax"),
        "email": contact.get("email"),
        "languages": list(contact.get("languages", [])),
        "topics": list(contact.get("topics", [])),
        "links": links.contact(contact["id"], office_id, municipality_id),
    }


def office_view(office: Json, municipality_id: str, links: Links) -> Json:
    return {
        "id": office["id"],
        "name": office["name"],
        "role": office.get("role"),
        "address": office.get("address"),
        "phone": office.get("phone"),
        "phone_display": _display(office, "phone"),
        "fax": office.get("fax"),
        "fax_display": _display(office, "fax"),
        "email": office.get("email"),
        "website": office.get("website"),
        "contacts": [contact_view(c, office["id"], municipality_id, links) for c in public_contacts(office)],
        "links": links.office(office["id"], municipality_id),
    }


def public_contacts(office: Json) -> list[Json]:
    """The contacts of an office that may be shown: the one place the privacy rule is applied."""
    return [c for c in office.get("contacts", []) if is_public(c)]


def municipality_summary(doc: Json, offices: list[Json], links: Links) -> Json:
    """The list representation: who, where, and whom to call."""
    participation = doc.get("participation") or {}
    return {
        "id": doc["id"],
        "name": doc["name"],
        "kind": doc["kind"],
        "regierungsbezirk": doc["regierungsbezirk"],
        "seat": doc["seat"],
        "coordinates": doc["coordinates"],
        "participation": {"status": participation.get("status"), "since": participation.get("since")},
        # When its office last confirmed the entry, by "Alles korrekt" or by a change (null:
        # not since import). Who confirmed is a token's label: editors see it, the public not.
        "confirmed_at": doc.get("confirmed_at"),
        "offices": offices,
        "links": links.municipality(doc["id"], has_cards=bool(offices)),
    }


def municipality_detail(doc: Json, offices: list[Json], links: Links) -> Json:
    """The full record: the summary plus population, website, participation and version."""
    return {
        **municipality_summary(doc, offices, links),
        "population": doc.get("population"),
        "website": doc.get("website"),
        "participation": doc.get("participation"),
        "updated_at": doc.get("updated_at"),
        "revision": doc.get("revision"),
        "version": doc.get("version"),
    }


def municipality_ref(doc: Json, links: Links) -> Json:
    """A short pointer to a municipality, embedded in office and contact responses."""
    has_cards = bool(doc.get("offices"))
    return {"id": doc["id"], "name": doc["name"], "links": links.municipality(doc["id"], has_cards=has_cards)}
