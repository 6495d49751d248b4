"""What a card says: the vCard properties of an office or a public contact.

A card is first described as a tuple of `Prop`s; render.py serialises it to vCard
text with vobject and maps the same tuple to jCard, so both always say the same.
Cards are built from the snapshot's public views (chalicelib.domain.views), which
hold only contacts flagged public: a non-public person cannot reach a card.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from ..domain.entries import ChildKind, Json
from ..domain.views import display_name
from .text import card_text

PRODID = "-//Gemeinsam klappt's//gk-directory//DE"
INITIATIVE = "Landesinitiative „Gemeinsam klappt's“ (NRW)"
# UIDs derive from ids alone, so a contact keeps its UID across revisions, hosts and
# deployments, and re-importing a card updates the address-book entry instead of
# adding a duplicate.
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:gk-directory")
COUNTRY_NAMES = {"DE": "Deutschland"}  # vCard 3.0 ADR carries a country *name*

# N and ADR have fixed component counts (RFC 2426 §3.1.2, §3.2.1).
N_FIELDS = ("family", "given", "additional", "prefix", "suffix")
ADR_FIELDS = ("box", "extended", "street", "city", "region", "code", "country")
LISTS = frozenset({"CATEGORIES"})
URIS = frozenset({"URL", "SOURCE"})  # URI values: never text-escaped


@dataclass(frozen=True)
class Prop:
    """One vCard property: its name, TYPE parameters and value.

    A tuple value is structured (N, ADR, ORG: components joined by ';') or a list
    (CATEGORIES: values joined by ','); everything else is a single text value.
    """

    name: str
    value: str | tuple[str, ...]
    types: tuple[str, ...] = ()


def uid(kind: ChildKind, entity_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(UID_NAMESPACE, f'{kind}:{entity_id}')}"


def revision_timestamp(updated_at: str | None) -> str | None:
    """REV in the basic UTC form every importer reads (RFC 2426 §3.6.4)."""
    if not updated_at:
        return None
    moment = datetime.fromisoformat(updated_at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(name: str, value: str | None, *types: str) -> list[Prop]:
    carried = card_text(value or "")
    return [Prop(name, carried, types)] if carried else []


def _values(name: str, values: Iterable[str]) -> list[Prop]:
    """A list or ORG property without empty elements, or none at all.

    vobject (like other readers) drops trailing empty elements, so an element left
    empty by card_text would not read back; it says nothing anyway.
    """
    carried = tuple(text for text in map(card_text, values) if text)
    return [Prop(name, carried)] if carried else []


def _address(office: Json) -> list[Prop]:
    address = office.get("address")
    if not address:
        return []
    country = address.get("country") or "DE"
    parts = {
        "street": address.get("street") or "",
        "city": address.get("locality") or "",
        "region": address.get("region") or "",
        "code": address.get("postal_code") or "",
        "country": COUNTRY_NAMES.get(country, country),
    }
    return [Prop("ADR", tuple(card_text(parts.get(f, "")) for f in ADR_FIELDS), ("WORK",))]


ADDRESS_NOTE_LABEL = "Hinweis zur Adresse"


def _note(about: str, office: Json) -> Prop:
    """What the card is, and the office's address note (directions, a room) if it has one.

    The note goes into NOTE, which every client shows, rather than ADR's extended
    address, which some merge into the street and some drop, and which has no room
    for a note of several lines.
    """
    address_note = (office.get("address") or {}).get("note")
    text = f"{about}\n{ADDRESS_NOTE_LABEL}: {address_note}" if address_note else about
    return Prop("NOTE", card_text(text))


def _reachability(entry: Json) -> list[Prop]:
    # phone_display is the international form ("+49 2551 692743", "+49 2162 391234
    # ext. 89"): dialable from abroad and readable, where the E.164 form is only the
    # former. vCard 3.0's TEL is text, so the extension is written as people read it;
    # the jCard's tel: URI carries it as ";ext=".
    return [
        *_text("TEL", entry.get("phone_display"), "WORK", "VOICE"),
        *_text("TEL", entry.get("fax_display"), "WORK", "FAX"),
        *_text("EMAIL", entry.get("email"), "INTERNET", "WORK"),
    ]


def _last_checked(municipality: Json) -> str | None:
    """The later of the entry's last change and its office's last confirmation."""
    moments = [m for m in (municipality.get("updated_at"), municipality.get("confirmed_at")) if m]
    return max(moments, key=datetime.fromisoformat) if moments else None


def _bookkeeping(kind: ChildKind, entity_id: str, municipality: Json, source: str | None) -> list[Prop]:
    rev = revision_timestamp(_last_checked(municipality))
    return [
        Prop("PRODID", PRODID),
        Prop("UID", uid(kind, entity_id)),
        *([Prop("REV", rev)] if rev else []),
        *([Prop("SOURCE", source)] if source else []),
    ]


def contact_props(contact: Json, office: Json, municipality: Json, source: str | None) -> tuple[Prop, ...]:
    """A person's card: name, function, how to reach them, where, and what they work on."""
    name = (contact["family_name"], contact["given_name"], "", contact.get("title") or "", "")
    return (
        Prop("N", tuple(card_text(part) for part in name)),
        Prop("FN", card_text(display_name(contact))),
        *_values("ORG", (municipality["name"], office["name"])),
        *_text("TITLE", contact.get("function")),
        *_reachability(contact),
        *_address(office),
        *_text("URL", office.get("website") or municipality.get("website"), "WORK"),
        # LANG is vCard 4.0's: jCard carries it, vcard3() moves it into the NOTE.
        *(prop for tag in contact.get("languages", []) for prop in _text("LANG", tag)),
        *_values("CATEGORIES", contact.get("topics", [])),
        _note(f"Ansprechperson der {INITIATIVE} – {municipality['name']}", office),
        *_bookkeeping("contact", contact["id"], municipality, source),
    )


def office_props(office: Json, municipality: Json, source: str | None) -> tuple[Prop, ...]:
    """An organisation card: Apple shows it as a company (X-ABShowAs), others by FN/ORG."""
    role = office.get("role") or "Koordinierende Stelle"
    return (
        Prop("N", ("", "", "", "", "")),  # required by vCard 3.0, empty for an organisation
        Prop("FN", card_text(office["name"])),
        *_values("ORG", (municipality["name"], office["name"])),  # as on its contacts' cards
        Prop("X-ABSHOWAS", "COMPANY"),
        *_reachability(office),
        *_address(office),
        *_text("URL", office.get("website") or municipality.get("website"), "WORK"),
        _note(f"{role} der {INITIATIVE} – {municipality['name']}", office),
        *_bookkeeping("office", office["id"], municipality, source),
    )


LANGUAGES_LABEL = "Sprachen"


def vcard3(props: tuple[Prop, ...]) -> tuple[Prop, ...]:
    """What a card says in vCard 3.0 (RFC 2426), which strict readers reject a card over.

    3.0 has no LANG: the languages a contact speaks become a line of the NOTE,
    "Sprachen: ar, fa-AF" — every client shows a NOTE, while an X- property would be
    kept by few and shown by none (jCard, vCard 4.0, keeps them as LANG). And 3.0
    defines no TYPE for URL, so the URL goes without one.
    """
    languages = [str(prop.value) for prop in props if prop.name == "LANG"]
    said: list[Prop] = []
    for prop in props:
        if prop.name == "LANG":
            continue
        if prop.name == "URL":
            prop = Prop("URL", prop.value)
        elif prop.name == "NOTE" and languages:
            prop = Prop("NOTE", f"{prop.value}\n{LANGUAGES_LABEL}: {', '.join(languages)}")
        said.append(prop)
    return tuple(said)
