"""Cards rendered: vCard 3.0 text (RFC 2426) through vobject, and jCard (RFC 7095).

The only module that imports vobject, and only inside a function: importing vobject
costs ~50 ms, which the JSON routes must not pay at cold start. Rendering costs
~0.3 ms per card, so cache.py renders each municipality's cards once per snapshot.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..domain.entries import ChildKind, Json
from ..domain.links import vcard_path
from ..domain.snapshot import Snapshot
from .props import LISTS, URIS, Prop, contact_props, office_props, vcard3
from .text import escape_component, escape_text, fold, uri_value

# vobject folds by characters when a line is shorter than 75 characters, so a line of
# umlauts can reach 150 octets unfolded. We ask it not to fold and fold ourselves.
_NO_FOLDING = 1 << 30


@dataclass(frozen=True)
class Card:
    """A rendered card: what it says, and its vCard and jCard text."""

    id: str  # the contact or office id
    kind: ChildKind
    filename: str  # stem of the download name, e.g. "Hieronimus_Stephanie"
    props: tuple[Prop, ...]  # what the vCard 3.0 text says
    text: str  # vCard 3.0, CRLF line ends, folded at 75 octets
    jcard: str  # RFC 7095 JSON of the same properties

    @property
    def display_name(self) -> str:
        return next(str(p.value) for p in self.props if p.name == "FN")


def _vobject() -> Any:
    import vobject  # deferred: see the module docstring

    return vobject


def wire_value(prop: Prop) -> str:
    """A property's value as the content line carries it: escaped per value type.

    URIs are written as they are; lists (CATEGORIES) join their escaped values with ',',
    structured values (N, ADR, ORG) their escaped components with ';'.
    """
    if prop.name in URIS:
        return uri_value(str(prop.value))
    if prop.name in LISTS:
        return ",".join(escape_text(item) for item in prop.value)
    if isinstance(prop.value, tuple):
        return ";".join(escape_component(part) for part in prop.value)
    return escape_text(prop.value)


def vcard(props: Iterable[Prop]) -> str:
    """Serialise one card with vobject: CRLF line ends, folded at 75 octets.

    Values are escaped here (wire_value) and handed to vobject as already encoded:
    vobject would text-escape every value, URIs included.
    """
    vobject = _vobject()
    card = vobject.vCard()
    for prop in props:
        line = card.add(prop.name.lower())
        line.value = wire_value(prop)
        line.isNative = False  # a content line's text already: no Name/Address object to serialise
        line.encoded = True
        if prop.types:
            line.params["TYPE"] = list(prop.types)
    text: str = card.serialize(lineLength=_NO_FOLDING)
    return fold(text)


# How phonenumbers' international format announces an extension.
EXTENSION_SEPARATOR = " ext. "

# jCard value types that are not "text" (RFC 7095 §3.5). TEL becomes a tel: URI as in
# vCard 4.0, which jCard follows.
_JCARD_VALUE_TYPES = {"UID": "uri", "URL": "uri", "SOURCE": "uri", "TEL": "uri", "REV": "timestamp",
                      "LANG": "language-tag", "X-ABSHOWAS": "unknown"}


def tel_uri(display: str) -> str:
    """The RFC 3966 URI of a number in display form: "+49 2162 391234 ext. 89" →
    "tel:+49-2162-391234;ext=89" (spaces become its visual separator '-')."""
    number, _, extension = display.partition(EXTENSION_SEPARATOR)
    return "tel:" + number.replace(" ", "-") + (f";ext={extension}" if extension else "")


def jcard(props: Iterable[Prop], kind: ChildKind) -> list[Any]:
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
            properties.append(["tel", parameters, value_type, tel_uri(prop.value)])
        else:
            properties.append([prop.name.lower(), parameters, value_type, prop.value])
    return ["vcard", properties]


def render(entity_id: str, kind: ChildKind, filename: str, props: tuple[Prop, ...]) -> Card:
    """The card as vCard 3.0 (what 3.0 can say of props) and as jCard (all of props)."""
    said = vcard3(props)
    jcard_text = json.dumps(jcard(props, kind), ensure_ascii=False)
    return Card(entity_id, kind, filename, said, vcard(said), jcard_text)


def municipality_cards(detail: Json, base: str | None) -> list[Card]:
    """Every card of one municipality: each office, followed by its public contacts.

    `base` is the absolute URL the API is reached at; each card's SOURCE is its own
    route under it. Without a base, cards carry no SOURCE rather than a relative one.
    """
    cards = []
    for office in detail.get("offices", []):
        source = base + vcard_path("office", office["id"]) if base else None
        cards.append(render(office["id"], "office", office["name"], office_props(office, detail, source)))
        for contact in office["contacts"]:
            source = base + vcard_path("contact", contact["id"]) if base else None
            stem = f"{contact['family_name']}_{contact['given_name']}"
            props = contact_props(contact, office, detail, source)
            cards.append(render(contact["id"], "contact", stem, props))
    return cards


def render_directory_uncached(snapshot: Snapshot, base: str | None = "https://example.org") -> str:
    """The whole directory as one .vcf, rendered from scratch: the uncached cost (benchmarks)."""
    entries = snapshot.municipalities
    return "".join(card.text for entry in entries for card in municipality_cards(entry.detail, base))
