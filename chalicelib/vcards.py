"""vCards (RFC 2426, vCard 3.0) and jCards (RFC 7095) of the directory's public entries.

The only module that imports vobject, and only inside a function: importing vobject
costs ~50 ms, which the JSON routes must not pay at cold start.

Cards are built from the snapshot's public views (chalicelib.views). Those hold only
contacts flagged public, so a non-public person cannot reach a card by construction.

A card is first described as a tuple of `Prop`s; vobject serialises that tuple to
vCard text, and `jcard` maps the same tuple to jCard, so both representations always
say the same thing. Rendering costs ~0.3 ms per card, so `DirectoryCards` renders a
municipality's cards once per snapshot and source base, on first use, and serves the
text from then on (`cards_for`).
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import quote

from .directory import MunicipalityEntry, Snapshot
from .http import Body
from .views import Json, display_name

VCARD_VERSION = "3.0"
PRODID = "-//Gemeinsam klappt's//gk-directory//DE"
INITIATIVE = "Landesinitiative „Gemeinsam klappt's“ (NRW)"
# UIDs derive from ids alone, so a contact keeps its UID across revisions, hosts and
# deployments, and re-importing a card updates the address-book entry instead of
# adding a duplicate.
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:gk-directory")
MAX_LINE_OCTETS = 75  # RFC 2425 §5.8.1, counted in octets of UTF-8
COUNTRY_NAMES = {"DE": "Deutschland"}  # vCard 3.0 ADR carries a country *name*
# vobject folds by characters when a line is shorter than 75 characters, so a line of
# umlauts can reach 150 octets unfolded. We ask it not to fold and fold ourselves.
_NO_FOLDING = 1 << 30

Kind = Literal["contact", "office"]
# N and ADR have fixed component counts (RFC 2426 §3.1.2, §3.2.1).
N_FIELDS = ("family", "given", "additional", "prefix", "suffix")
ADR_FIELDS = ("box", "extended", "street", "city", "region", "code", "country")
STRUCTURED = frozenset({"N", "ADR", "ORG"})
LISTS = frozenset({"CATEGORIES"})


@dataclass(frozen=True)
class Prop:
    """One vCard property: its name, TYPE parameters and value.

    A tuple value is structured (N, ADR, ORG: components joined by ';') or a list
    (CATEGORIES: values joined by ','); everything else is a single text value.
    """

    name: str
    value: str | tuple[str, ...]
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Card:
    """A rendered card: what it says, and its vCard and jCard text."""

    id: str  # the contact or office id
    kind: Kind
    filename: str  # stem of the download name, e.g. "Hieronimus_Stephanie"
    props: tuple[Prop, ...]
    text: str  # vCard 3.0, CRLF line ends, folded at 75 octets
    jcard: str  # RFC 7095 JSON of the same properties

    @property
    def display_name(self) -> str:
        return next(str(p.value) for p in self.props if p.name == "FN")


# -- text ------------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n?")
# RFC 2426 text values admit no control characters except HTAB; LF travels as "\n".
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def card_text(value: str) -> str:
    """The form of a text value a vCard can carry, and that reads back unchanged.

    vCard 3.0 has a single newline escape, so CR LF and a lone CR become LF; other
    control characters (which no vCard may contain) are dropped. Everything else,
    including ';', ',', ':', '\\' and any non-ASCII text, is carried exactly.
    """
    return _CONTROLS.sub("", _NEWLINES.sub("\n", value))


# An escape pair stays on one line: unfolding would rejoin a split pair, but some
# importers unescape per physical line.
_FOLD_TOKEN = re.compile(r"\\.|.", re.DOTALL)


def fold(text: str) -> str:
    """Fold every line longer than 75 octets, never inside a UTF-8 character (RFC 2425 §5.8.1)."""
    lines = text.split("\r\n")
    for number, line in enumerate(lines):
        if len(line.encode("utf-8")) > MAX_LINE_OCTETS:
            lines[number] = _fold_line(line)
    return "\r\n".join(lines)


def _fold_line(line: str) -> str:
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for token in _FOLD_TOKEN.findall(line):
        width = len(token.encode("utf-8"))
        if size + width > MAX_LINE_OCTETS:
            chunks.append("".join(current))
            current, size = [], 1  # the continuation line's leading space
        current.append(token)
        size += width
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")
# Characters no file system or header should see in a name; the rest of Unicode may stay.
_UNSAFE_UNICODE = re.compile(r'[\s/\\:*?"<>|\x00-\x1f\x7f]+')


def content_disposition(stem: str, extension: str = ".vcf") -> str:
    """`attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 filename*)."""
    utf8_name = (_UNSAFE_UNICODE.sub("_", stem).strip("._") or "vcard")[:120] + extension
    folded = unicodedata.normalize("NFKD", stem.translate(_TRANSLITERATION))
    ascii_stem = "".join(c for c in folded if not unicodedata.combining(c))
    ascii_name = (_UNSAFE_ASCII.sub("_", ascii_stem).strip("._") or "vcard")[:120] + extension
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name, safe='')}"


# -- what a card says ------------------------------------------------------------


def uid(kind: Kind, entity_id: str) -> str:
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


def _reachability(entry: Json) -> list[Prop]:
    # phone_display is the international form ("+49 2551 692743"): dialable from abroad
    # and readable, where the E.164 form is only the former.
    return [
        *_text("TEL", entry.get("phone_display"), "WORK", "VOICE"),
        *_text("TEL", entry.get("fax_display"), "WORK", "FAX"),
        *_text("EMAIL", entry.get("email"), "INTERNET", "WORK"),
    ]


def _bookkeeping(kind: Kind, entity_id: str, municipality: Json, source: str | None) -> list[Prop]:
    rev = revision_timestamp(municipality.get("updated_at"))
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
        # LANG is vCard 4.0's; as an IANA-registered name it is valid vCard 3.0 syntax, and
        # importers that do not know it keep it or skip it rather than fail.
        *(prop for tag in contact.get("languages", []) for prop in _text("LANG", tag)),
        *_values("CATEGORIES", contact.get("topics", [])),
        Prop("NOTE", card_text(f"Ansprechperson der {INITIATIVE} – {municipality['name']}")),
        *_bookkeeping("contact", contact["id"], municipality, source),
    )


def office_props(office: Json, municipality: Json, source: str | None) -> tuple[Prop, ...]:
    """An organisation card: Apple shows it as a company (X-ABShowAs), others by FN/ORG."""
    role = office.get("role") or "Koordinierende Stelle"
    return (
        Prop("N", ("", "", "", "", "")),  # required by vCard 3.0, empty for an organisation
        Prop("FN", card_text(office["name"])),
        *_values("ORG", (office["name"],)),
        Prop("X-ABSHOWAS", "COMPANY"),
        *_reachability(office),
        *_address(office),
        *_text("URL", office.get("website") or municipality.get("website"), "WORK"),
        Prop("NOTE", card_text(f"{role} der {INITIATIVE} – {municipality['name']}")),
        *_bookkeeping("office", office["id"], municipality, source),
    )


# -- rendering -------------------------------------------------------------------


def _vobject() -> Any:
    import vobject  # deferred: see the module docstring

    return vobject


def vcard(props: Iterable[Prop]) -> str:
    """Serialise one card with vobject: escaped, CRLF line ends, folded at 75 octets."""
    vobject = _vobject()
    card = vobject.vCard()
    for prop in props:
        line = card.add(prop.name.lower())
        if prop.name == "N":
            line.value = vobject.vcard.Name(**dict(zip(N_FIELDS, prop.value, strict=True)))
        elif prop.name == "ADR":
            line.value = vobject.vcard.Address(**dict(zip(ADR_FIELDS, prop.value, strict=True)))
        elif isinstance(prop.value, tuple):
            line.value = list(prop.value)
        else:
            line.value = prop.value
        if prop.types:
            line.params["TYPE"] = list(prop.types)
    text: str = card.serialize(lineLength=_NO_FOLDING)
    return fold(text)


# jCard value types that are not "text" (RFC 7095 §3.5). TEL becomes a tel: URI as in
# vCard 4.0, which jCard follows.
_JCARD_VALUE_TYPES = {"UID": "uri", "URL": "uri", "SOURCE": "uri", "TEL": "uri", "REV": "timestamp",
                      "LANG": "language-tag", "X-ABSHOWAS": "unknown"}


def jcard(props: Iterable[Prop], kind: Kind) -> list[Any]:
    """The same card as jCard (RFC 7095), which speaks vCard 4.0."""
    properties: list[list[Any]] = [["version", {}, "text", "4.0"]]
    if kind == "office":
        properties.append(["kind", {}, "text", "org"])
    for prop in props:
        parameters: dict[str, Any] = {}
        types = [t.lower() for t in prop.types if t != "INTERNET"]  # vCard 4.0 dropped "internet"
        if types:
            parameters["type"] = types[0] if len(types) == 1 else types
        value_type = _JCARD_VALUE_TYPES.get(prop.name, "text")
        if prop.name in LISTS:
            properties.append([prop.name.lower(), parameters, value_type, *prop.value])
        elif prop.name == "ORG" and len(prop.value) == 1:
            properties.append(["org", parameters, value_type, prop.value[0]])
        elif isinstance(prop.value, tuple):
            properties.append([prop.name.lower(), parameters, value_type, list(prop.value)])
        elif prop.name == "TEL":
            # RFC 3966 global number; spaces become its visual separator '-'.
            properties.append(["tel", parameters, value_type, "tel:" + prop.value.replace(" ", "-")])
        else:
            properties.append([prop.name.lower(), parameters, value_type, prop.value])
    return ["vcard", properties]


def render(entity_id: str, kind: Kind, filename: str, props: tuple[Prop, ...]) -> Card:
    text = vcard(props)
    return Card(entity_id, kind, filename, props, text, json.dumps(jcard(props, kind), ensure_ascii=False))


def municipality_cards(detail: Json, base: str | None) -> list[Card]:
    """Every card of one municipality: each office, followed by its public contacts.

    `base` is the absolute URL the API is reached at; each card's SOURCE is its own
    route under it. Without a base, cards carry no SOURCE rather than a relative one.
    """
    cards = []
    for office in detail.get("offices", []):
        source = f"{base}/offices/{office['id']}/vcard" if base else None
        cards.append(render(office["id"], "office", office["name"], office_props(office, detail, source)))
        for contact in office["contacts"]:
            source = f"{base}/contacts/{contact['id']}/vcard" if base else None
            stem = f"{contact['family_name']}_{contact['given_name']}"
            props = contact_props(contact, office, detail, source)
            cards.append(render(contact["id"], "contact", stem, props))
    return cards


def render_directory_uncached(snapshot: Snapshot, base: str | None = "https://example.org") -> str:
    """The whole directory as one .vcf, rendered from scratch: the uncached cost (benchmarks)."""
    entries = snapshot.municipalities
    return "".join(card.text for entry in entries for card in municipality_cards(entry.detail, base))


# -- rendered once per snapshot ----------------------------------------------------


@dataclass(frozen=True)
class Bundle:
    """A download: the .vcf text and the jCard, each with its ETag, and the file name header."""

    vcard: Body
    jcard: Body
    disposition: str  # Content-Disposition of the .vcf


def bundle(cards: Sequence[Card], filename: str) -> Bundle:
    """Several cards as one .vcf and one jCard array."""
    vcard_text = "".join(card.text for card in cards)
    jcard_text = "[" + ",".join(card.jcard for card in cards) + "]"
    return Bundle(Body.of(vcard_text), Body.of(jcard_text), content_disposition(filename))


class DirectoryCards:
    """The cards of one snapshot for one source base, each municipality rendered on first use.

    Everything held here is bounded by the snapshot: one entry per municipality, per
    contact QR code, and a few recent selections of GET /vcards.
    """

    # A selection of the whole directory is ~0.5 MB (vCard and jCard text); eight of
    # them per base is the ceiling on what searches can pin in memory.
    SELECTIONS = 8

    def __init__(self, snapshot: Snapshot, base: str | None) -> None:
        self.snapshot = snapshot
        self.base = base
        self._municipalities: dict[str, list[Card]] = {}
        self._cards: dict[tuple[Kind, str], Card] = {}
        self._card_bodies: dict[tuple[Kind, str], Bundle] = {}
        self._bundles: dict[str, Bundle] = {}
        self._selections: OrderedDict[tuple[str, ...], Bundle] = OrderedDict()
        self._qr: dict[str, Body] = {}
        # chalice local serves on threads; a race only renders twice, but the LRU's
        # reordering must not interleave.
        self._lock = threading.Lock()

    def municipality(self, entry: MunicipalityEntry) -> list[Card]:
        cards = self._municipalities.get(entry.id)
        if cards is None:
            cards = municipality_cards(entry.detail, self.base)
            for card in cards:
                self._cards[(card.kind, card.id)] = card
            self._municipalities[entry.id] = cards
        return cards

    def municipality_bundle(self, entry: MunicipalityEntry) -> Bundle:
        found = self._bundles.get(entry.id)
        if found is None:
            found = self._bundles[entry.id] = bundle(self.municipality(entry), entry.detail["name"])
        return found

    def card(self, kind: Kind, entity_id: str) -> Card | None:
        """The card of a public contact or an office of this snapshot; None if there is none."""
        owners = self.snapshot.contacts if kind == "contact" else self.snapshot.offices
        owner = owners.get(entity_id)
        if owner is None:
            return None
        self.municipality(self.snapshot.by_id[owner.municipality_id])
        return self._cards[(kind, entity_id)]

    def card_bundle(self, card: Card) -> Bundle:
        """One card's vCard and jCard (a single jCard, not an array) with their ETags."""
        key = (card.kind, card.id)
        found = self._card_bodies.get(key)
        if found is None:
            found = Bundle(Body.of(card.text), Body.of(card.jcard), content_disposition(card.filename))
            self._card_bodies[key] = found
        return found

    def selection(self, entries: Sequence[MunicipalityEntry], filename: str = "gemeinsam-klappts") -> Bundle:
        """The cards of several municipalities in the given order, as one download."""
        key = tuple(entry.id for entry in entries)
        with self._lock:
            found = self._selections.get(key)
            if found is not None:
                self._selections.move_to_end(key)
                return found
        found = bundle([card for entry in entries for card in self.municipality(entry)], filename)
        with self._lock:
            self._selections[key] = found
            while len(self._selections) > self.SELECTIONS:
                self._selections.popitem(last=False)
        return found

    def qr(self, card: Card, make: Callable[[Card], str]) -> Body:
        found = self._qr.get(card.id)
        if found is None:
            found = self._qr[card.id] = Body.of(make(card))
        return found


class _CardCache:
    """Cards of the current snapshot only, for a few source bases.

    A new snapshot drops everything rendered for the previous one, so memory stays
    bounded by one directory's cards whatever the traffic. Bases differ only when
    GK_PUBLIC_BASE_URL is unset and requests arrive under several Host names.
    """

    BASES = 4

    def __init__(self) -> None:
        self._snapshot: Snapshot | None = None
        self._by_base: OrderedDict[str | None, DirectoryCards] = OrderedDict()
        self._last: DirectoryCards | None = None  # the usual case: one snapshot, one base
        self._lock = threading.Lock()

    def get(self, snapshot: Snapshot, base: str | None) -> DirectoryCards:
        last = self._last
        if last is not None and last.snapshot is snapshot and last.base == base:
            return last
        with self._lock:
            if snapshot is not self._snapshot:
                self._snapshot = snapshot
                self._by_base.clear()
            cards = self._by_base.get(base)
            if cards is None:
                cards = self._by_base[base] = DirectoryCards(snapshot, base)
                while len(self._by_base) > self.BASES:
                    self._by_base.popitem(last=False)
            else:
                self._by_base.move_to_end(base)
            self._last = cards
            return cards


_cache = _CardCache()


def cards_for(snapshot: Snapshot, base: str | None) -> DirectoryCards:
    """The (lazily rendered) cards of this snapshot, with SOURCE URLs under `base`."""
    return _cache.get(snapshot, base)
