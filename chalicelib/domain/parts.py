"""What one stored document contributes to a snapshot: its entries and its part.

A `MunicipalityEntry` (and its `OfficeEntry`s and `ContactEntry`s) is a municipality as
served: what filters and ordering need at once, JSON bodies rendered on first use and
carried into the next snapshot with the entry. A `MunicipalityPart` is everything the
document adds to the snapshot's indexes (snapshot.py puts them together), so a catch-up
replaces one part instead of rebuilding the directory.
"""

from __future__ import annotations

import json
import logging
from functools import cached_property

from . import search
from .bodies import Body, to_json
from .changes import Change, changes_of
from .documents import StoredDocument
from .entries import Json, entry_ids, erased_ids, is_deleted
from .facets import Facts
from .geoindex import Point
from .links import Links
from .shelf import DocumentText, Shelf
from .views import (
    municipality_detail,
    municipality_ref,
    municipality_summary,
    office_view,
    public_contacts,
)

log = logging.getLogger(__name__)


def _unrendered(state: dict[str, object], cls: type) -> dict[str, object]:
    """An entry's state without what it rendered (cached properties): what a pack holds."""
    return {k: v for k, v in state.items() if not isinstance(getattr(cls, k, None), cached_property)}


class MunicipalityEntry:
    """One municipality as served: what filters and ordering need at once, bodies on first use.

    It holds its document with the public contacts only: nothing else is ever rendered.
    """

    def __getstate__(self) -> dict[str, object]:
        # Packed as JSON text, parsed when the entry is first rendered: a cold start loading
        # a pack then creates no document at all; a pack keeps the texts on its shelf.
        text = DocumentText(to_json(self._doc).encode())
        return {**_unrendered(self.__dict__, MunicipalityEntry), "_doc_text": text}

    def __init__(self, doc: Json, links: Links) -> None:
        self.id: str = doc["id"]
        # The stable order of equally ranked results: by place name, then full name.
        self.name_key = search.order_key(doc["name"])
        self.kind: str = doc["kind"]
        self.regierungsbezirk: str = doc["regierungsbezirk"]
        self.lat = float(doc["coordinates"]["lat"])
        self.lon = float(doc["coordinates"]["lon"])
        self._doc = _public_only(doc)  # the cached property's value: no JSON text needed
        self._links = links
        contacts = [c for o in self._doc.get("offices", []) for c in o.get("contacts", [])]
        self.topic_forms = {search.fold(t): t for c in contacts for t in c.get("topics", [])}
        self.topics = frozenset(self.topic_forms)  # folded topics of its public contacts
        self.language_tags = frozenset(tag for c in contacts for tag in c.get("languages", []))
        # lower-case tags of its public contacts, with their primary subtags
        self.languages = frozenset(_language_keys(self.language_tags))

    @property
    def order(self) -> tuple[str, str]:
        return self.name_key, self.id

    @cached_property
    def _doc(self) -> Json:
        """Its public document; parsed on first use only in an entry loaded from a pack."""
        packed: bytes | tuple[Shelf, int] = self.__dict__.pop("_doc_text")
        if isinstance(packed, tuple):
            self.__dict__.setdefault("_links", packed[0].links)  # its place on the shelf goes
            packed = packed[0].take(packed[1])
        doc: Json = json.loads(packed)
        return doc

    @cached_property
    def _links(self) -> Links:
        """Set by __init__; an entry loaded from a pack has the loading container's, from its
        shelf (shelf.py) — not one reference per entry in the pack, 10,000 lookups at a cold start."""
        shelved: tuple[Shelf, int] = self.__dict__["_doc_text"]
        return shelved[0].links

    @property
    def public_document(self) -> Json:
        """Its document with the public contacts only (read, never changed)."""
        return self._doc

    @cached_property
    def office_views(self) -> list[Json]:
        return [office_view(o, self.id, self._links) for o in self._doc.get("offices", [])]

    @cached_property
    def ref(self) -> Json:
        return municipality_ref(self._doc, self._links)

    @cached_property
    def summary(self) -> Json:
        return municipality_summary(self._doc, self.office_views, self._links)

    @cached_property
    def detail(self) -> Json:
        return municipality_detail(self._doc, self.office_views, self._links)

    @cached_property
    def summary_json(self) -> str:
        return to_json(self.summary)

    @cached_property
    def body(self) -> Body:
        return Body.of(to_json(self.detail))


class OfficeEntry:
    def __getstate__(self) -> dict[str, object]:
        return _unrendered(self.__dict__, OfficeEntry)

    def __init__(self, owner: MunicipalityEntry, position: int, office_id: str) -> None:
        self.id = office_id
        self.municipality_id = owner.id
        self._owner = owner
        self._position = position

    @property
    def view(self) -> Json:
        return self._owner.office_views[self._position]

    @cached_property
    def body(self) -> Body:
        return Body.of(to_json({**self.view, "municipality": self._owner.ref}))


class ContactEntry:
    def __getstate__(self) -> dict[str, object]:
        return _unrendered(self.__dict__, ContactEntry)

    def __init__(self, owner: MunicipalityEntry, office: int, position: int, ids: tuple[str, str]) -> None:
        self.id, self.office_id = ids
        self.municipality_id = owner.id
        self._owner = owner
        self._office = office
        self._position = position

    @property
    def view(self) -> Json:
        contact: Json = self._owner.office_views[self._office]["contacts"][self._position]
        return contact

    @cached_property
    def body(self) -> Body:
        office = self._owner.office_views[self._office]
        return Body.of(
            to_json(
                {
                    **self.view,
                    "office": {"id": office["id"], "name": office["name"]},
                    "municipality": self._owner.ref,
                }
            )
        )


def _public_only(doc: Json) -> Json:
    offices = [{**office, "contacts": public_contacts(office)} for office in doc.get("offices", [])]
    return {**doc, "offices": offices}


def _language_keys(tags: frozenset[str]) -> set[str]:
    keys: set[str] = set()
    for tag in tags:
        lowered = tag.lower()
        keys.add(lowered)
        keys.add(lowered.split("-", 1)[0])
    return keys


# What a packed part holds for its search document (the index is packed whole).
_INDEXED = search.Document("", ())


class MunicipalityPart:
    """Everything one stored document contributes to a snapshot (never changed once made).

    Its office and contact entries are made from the entry's document when first asked
    for, not with the part: a cold start from a pack then creates none of the ~30,000
    entries at 10,000 municipalities, and a snapshot finds an office or contact through
    `owners` and the part (snapshot.py) instead of directory-sized maps of them.
    """

    __slots__ = (
        "_by_id",
        "changes",
        "entry",
        "erased",
        "id",
        "owned",
        "pending",
        "search_document",
        "version",
    )

    def __init__(
        self,
        id: str,
        version: int,
        entry: MunicipalityEntry | None,  # None: deleted (a document of tombstones)
        owned: tuple[str, ...],  # every office and contact id, non-public contacts included
        changes: tuple[Change, ...] | None,  # None: loaded from a pack, in the feed only
        pending: tuple[str, int] | None,  # (since, after) while a write waits for its stamp
        search_document: search.Document | None,
        erased: tuple[str, ...] = (),  # office and contact ids only a tombstone here holds
    ) -> None:
        self.id, self.version, self.entry = id, version, entry
        self.owned, self.erased = owned, erased
        self.changes, self.pending, self.search_document = changes, pending, search_document
        self._by_id: _ChildEntries | None = None

    def __getstate__(self) -> tuple[None, dict[str, object]]:
        # A pack needs not the texts the index was built from: a catch-up only asks whether
        # a replaced part had a search document, never what it said. Nor the office and
        # contact entries: they are made again from the entry when first asked for.
        state: dict[str, object] = {name: getattr(self, name) for name in self.__slots__}
        state["_by_id"] = None
        state["changes"] = None  # the feed holds them (changes.py); a catch-up asks it
        if self.search_document is not None:
            state["search_document"] = _INDEXED  # one object for all parts: pickled once
        return None, state

    @property
    def _children(self) -> _ChildEntries:
        # Two threads (chalice local) may both make them: the same entries, one kept.
        children = self._by_id
        if children is None:
            children = self._by_id = _ChildEntries(self.entry)
        return children

    @property
    def offices(self) -> tuple[OfficeEntry, ...]:
        return self._children.offices

    @property
    def contacts(self) -> tuple[ContactEntry, ...]:
        """Its public contacts' entries (the others are never served)."""
        return self._children.contacts

    def office(self, office_id: str) -> OfficeEntry | None:
        return self._children.office_by_id.get(office_id)

    def contact(self, contact_id: str) -> ContactEntry | None:
        return self._children.contact_by_id.get(contact_id)

    @property
    def facts(self) -> Facts | None:
        entry = self.entry
        if entry is None:
            return None
        return Facts(entry.kind, entry.regierungsbezirk, entry.topics, entry.languages)

    @property
    def card_count(self) -> int:
        """How many vCards this municipality has: its offices and public contacts."""
        return len(self.offices) + len(self.contacts)

    @property
    def point(self) -> Point | None:
        return None if self.entry is None else (self.entry.lat, self.entry.lon, self.id)


class _ChildEntries:
    """A municipality's office and public contact entries, in document order, and by id."""

    __slots__ = ("contact_by_id", "contacts", "office_by_id", "offices")

    def __init__(self, entry: MunicipalityEntry | None) -> None:
        offices: list[OfficeEntry] = []
        contacts: list[ContactEntry] = []
        if entry is not None:
            for o, office in enumerate(entry.public_document.get("offices", [])):
                offices.append(OfficeEntry(entry, o, office["id"]))
                for c, contact in enumerate(office.get("contacts", [])):  # public ones only
                    contacts.append(ContactEntry(entry, o, c, (contact["id"], office["id"])))
        self.offices, self.contacts = tuple(offices), tuple(contacts)
        self.office_by_id = {office.id: office for office in offices}
        self.contact_by_id = {contact.id: contact for contact in contacts}


def part_of(stored: StoredDocument, links: Links) -> MunicipalityPart | None:
    """One stored document as a snapshot part; None (logged) if it cannot be read."""
    try:
        doc = json.loads(stored.document)
        changes = tuple(changes_of(doc))
        pending = (doc["pending"]["since"], int(doc["pending"]["after"])) if "pending" in doc else None
        erased = erased_ids(doc)
        if is_deleted(doc):
            return MunicipalityPart(doc["id"], stored.version, None, (), changes, pending, None, erased)
        doc["version"] = stored.version
        entry = MunicipalityEntry(doc, links)
        owned = tuple(entry_id for _, entry_id in entry_ids(doc))  # a KeyError: an id is missing
        document = search.Document(doc["name"], _search_texts(doc))
        return MunicipalityPart(doc["id"], stored.version, entry, owned, changes, pending, document, erased)
    except (ValueError, KeyError, TypeError):
        # Documents are validated on write; a broken one must not take the
        # directory down. Its id is safe to log, its content is not.
        log.error("skipping unreadable document of municipality %s", stored.municipality_id)
        return None


def _search_texts(doc: Json) -> list[tuple[int, str]]:
    """The texts q searches: name, seat, office names, and public people, functions and topics."""
    texts = [(search.NAME, doc["name"]), (search.SEAT, doc["seat"])]
    for office in doc.get("offices", []):
        texts.append((search.OFFICE, office["name"]))
        for contact in public_contacts(office):
            texts.append((search.PEOPLE, f"{contact['given_name']} {contact['family_name']}"))
            if contact.get("function"):
                texts.append((search.PEOPLE, contact["function"]))
            texts.extend((search.PEOPLE, topic) for topic in contact.get("topics", []))
    return texts
