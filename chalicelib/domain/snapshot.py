"""The in-memory snapshot of the whole directory.

A warm Lambda container answers every read from a Snapshot: plain dicts, the
search index, filter postings, a geo grid and JSON bodies with their ETags, built
from the stored documents (freshness.py decides when).

Each stored document becomes one `MunicipalityPart` — its entries, the ids it owns,
its changes, its search document and facets — and the snapshot's indexes are put
together from the parts. That is what lets a warm container apply one changed
municipality (catchup.py) instead of rebuilding the directory: replace that part,
and update each index by what the old and the new part hold.

Bodies are rendered when first asked for, not at load: a load at 10,000
municipalities then costs parsing and indexing, and a body is rendered once per
snapshot that holds its entry — entries of unchanged municipalities are carried
into the next snapshot together with what they rendered.
"""

from __future__ import annotations

import json
import logging
import time
from bisect import bisect_left, insort
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from . import search
from .bodies import Body, to_json
from .changes import Change, Feed, changes_of
from .documents import StoredDocument
from .entries import Json, entry_ids, erased_ids, is_deleted
from .errors import NotFound
from .facets import Facets, Facts
from .geoindex import GeoIndex, Point
from .layered import GONE, Gone, Layered
from .links import Links
from .views import (
    municipality_detail,
    municipality_ref,
    municipality_summary,
    office_view,
    public_contacts,
)

log = logging.getLogger(__name__)
EntryT = TypeVar("EntryT")


def _unrendered(state: dict[str, object], cls: type) -> dict[str, object]:
    """An entry's state without what it rendered (cached properties): what a pack holds."""
    return {k: v for k, v in state.items() if not isinstance(getattr(cls, k, None), cached_property)}


class MunicipalityEntry:
    """One municipality as served: what filters and ordering need at once, bodies on first use.

    It holds its document with the public contacts only: nothing else is ever rendered.
    """

    def __getstate__(self) -> dict[str, object]:
        # Packed as JSON text, parsed when the entry is first rendered: a cold start loading
        # a pack then creates one string per municipality instead of its whole document.
        return {**_unrendered(self.__dict__, MunicipalityEntry), "_doc_text": to_json(self._doc).encode()}

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
        doc: Json = json.loads(self.__dict__.pop("_doc_text"))
        return doc

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


class MunicipalityPart:
    """Everything one stored document contributes to a snapshot (never changed once made)."""

    __slots__ = (
        "changes",
        "contacts",
        "entry",
        "erased",
        "id",
        "offices",
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
        offices: tuple[OfficeEntry, ...],
        contacts: tuple[ContactEntry, ...],
        owned: tuple[str, ...],  # every office and contact id, non-public contacts included
        changes: tuple[Change, ...],
        pending: tuple[str, int] | None,  # (since, after) while a write waits for its stamp
        search_document: search.Document | None,
        erased: tuple[str, ...] = (),  # office and contact ids only a tombstone here holds
    ) -> None:
        self.id, self.version, self.entry = id, version, entry
        self.offices, self.contacts, self.owned, self.erased = offices, contacts, owned, erased
        self.changes, self.pending, self.search_document = changes, pending, search_document

    def __getstate__(self) -> tuple[None, dict[str, object]]:
        # A pack needs not the texts the index was built from: a catch-up only asks whether
        # a replaced part had a search document, never what it said.
        state: dict[str, object] = {name: getattr(self, name) for name in self.__slots__}
        if self.search_document is not None:
            state["search_document"] = search.Document(self.search_document.name, [])
        return None, state

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


def part_of(stored: StoredDocument, links: Links) -> MunicipalityPart | None:
    """One stored document as a snapshot part; None (logged) if it cannot be read."""
    try:
        doc = json.loads(stored.document)
        changes = tuple(changes_of(doc))
        pending = (doc["pending"]["since"], int(doc["pending"]["after"])) if "pending" in doc else None
        erased = erased_ids(doc)
        if is_deleted(doc):
            return MunicipalityPart(
                doc["id"], stored.version, None, (), (), (), changes, pending, None, erased
            )
        doc["version"] = stored.version
        entry = MunicipalityEntry(doc, links)
        offices: list[OfficeEntry] = []
        contacts: list[ContactEntry] = []
        for o, office in enumerate(doc.get("offices", [])):
            offices.append(OfficeEntry(entry, o, office["id"]))
            for c, contact in enumerate(public_contacts(office)):
                contacts.append(ContactEntry(entry, o, c, (contact["id"], office["id"])))
        owned = tuple(entry_id for _, entry_id in entry_ids(doc))
        document = search.Document(doc["name"], _search_texts(doc))
        return MunicipalityPart(
            doc["id"],
            stored.version,
            entry,
            tuple(offices),
            tuple(contacts),
            owned,
            changes,
            pending,
            document,
            erased,
        )
    except (ValueError, KeyError, TypeError):
        # Documents are validated on write; a broken one must not take the
        # directory down. Its id is safe to log, its content is not.
        log.error("skipping unreadable document of municipality %s", stored.municipality_id)
        return None


@dataclass(frozen=True, eq=False)  # identity equality and hash: one object per revision served
class Snapshot:
    revision: int
    loaded_at: float  # epoch seconds
    municipalities: list[MunicipalityEntry]  # by place name, then full name and id
    by_id: dict[str, MunicipalityEntry]
    # Directory-sized maps a catch-up touches in a few keys: layered, not copied (layered.py).
    offices: Mapping[str, OfficeEntry]
    contacts: Mapping[str, ContactEntry]
    index: search.SearchIndex
    topics: list[str]  # vocabularies present, for filter menus
    languages: list[str]
    # Every office and contact id → its municipality, non-public contacts included: ids
    # only, for the write path's lookups and uniqueness checks; never served.
    owners: Mapping[str, str] = field(default_factory=Layered)
    # Ids of erased offices and contacts → the municipality whose tombstone holds them:
    # an id once used stays reserved (a card's UID derives from it). Never served.
    erased: Mapping[str, str] = field(default_factory=Layered)
    feed: Feed = field(default_factory=lambda: Feed((), 0))
    # Municipalities with a write still waiting for its revision, and since when (ISO).
    pending: dict[str, str] = field(default_factory=dict)
    parts: Layered[str, MunicipalityPart] = field(default_factory=Layered)
    # The same writes with the marker each was made after (`pending.after`): bounds the feed.
    pending_after: dict[str, int] = field(default_factory=dict)
    facets: Facets = field(default_factory=Facets)
    geo: GeoIndex = field(default_factory=GeoIndex)
    links: Links = field(default_factory=lambda: Links(""))
    # folded topic → {form shown: how many municipalities use it}; tag → how many use it
    topic_forms: dict[str, dict[str, int]] = field(default_factory=dict)
    language_counts: dict[str, int] = field(default_factory=dict)

    def municipality(self, municipality_id: str) -> MunicipalityEntry:
        return _found(self.by_id.get(municipality_id), "municipality", municipality_id)

    def office(self, office_id: str) -> OfficeEntry:
        return _found(self.offices.get(office_id), "office", office_id)

    def contact(self, contact_id: str) -> ContactEntry:
        # Non-public contacts are not in the snapshot at all: the same 404 as an unknown id.
        return _found(self.contacts.get(contact_id), "contact", contact_id)

    @property
    def complete_to(self) -> int:
        return self.feed.complete_to

    @classmethod
    def build(cls, revision: int, documents: list[StoredDocument], links: Links) -> Snapshot:
        parts = {}
        for stored in documents:
            part = part_of(stored, links)
            if part is not None:
                parts[part.id] = part
        return cls.assemble(revision, parts, links)

    @classmethod
    def assemble(cls, revision: int, parts: dict[str, MunicipalityPart], links: Links) -> Snapshot:
        """A snapshot of these parts, every index built from scratch."""
        living = [p.entry for p in parts.values() if p.entry is not None]
        living.sort(key=lambda e: e.order)
        pending = {p.id: p.pending for p in parts.values() if p.pending is not None}
        pending_after = {municipality_id: after for municipality_id, (_, after) in pending.items()}
        topic_forms: dict[str, dict[str, int]] = {}
        language_counts: dict[str, int] = {}
        _count(topic_forms, language_counts, living, 1)
        return cls(
            revision=revision,
            loaded_at=time.time(),
            municipalities=living,
            by_id={e.id: e for e in living},
            offices=Layered({o.id: o for p in parts.values() for o in p.offices}),
            contacts=Layered({c.id: c for p in parts.values() for c in p.contacts}),
            index=search.SearchIndex.build(
                (p.id, p.search_document) for p in parts.values() if p.search_document is not None
            ),
            topics=_topics(topic_forms),
            languages=sorted(language_counts),
            owners=Layered({entry_id: p.id for p in parts.values() for entry_id in p.owned}),
            erased=Layered({entry_id: p.id for p in parts.values() for entry_id in p.erased}),
            feed=Feed.build(
                (c for p in parts.values() for c in p.changes), _complete_to(revision, pending_after)
            ),
            pending={municipality_id: since for municipality_id, (since, _) in pending.items()},
            parts=Layered(parts),
            pending_after=pending_after,
            facets=Facets.build((p.id, f) for p in parts.values() if (f := p.facts) is not None),
            geo=GeoIndex.build(point for p in parts.values() if (point := p.point) is not None),
            links=links,
            topic_forms=topic_forms,
            language_counts=language_counts,
        )

    def replaced(
        self, revision: int, new_parts: list[MunicipalityPart], gone: Iterable[str] = ()
    ) -> Snapshot:
        """A new snapshot with these municipalities' parts replaced (or added), `gone` ones removed.

        Every index is updated by what the old and new parts hold, sharing everything
        else with this snapshot, which stays unchanged: the same result as `assemble`
        over the new set of parts, at the cost of the change rather than the directory.
        """
        new_parts = list({p.id: p for p in new_parts}.values())
        gone = {municipality_id for municipality_id in gone if municipality_id in self.parts}
        gone -= {p.id for p in new_parts}
        old_parts = [part for i in [*(p.id for p in new_parts), *gone] if (part := self.parts.get(i))]
        part_changes: list[tuple[str, MunicipalityPart | Gone]] = [(p.id, p) for p in new_parts]
        part_changes.extend((municipality_id, GONE) for municipality_id in gone)

        municipalities = list(self.municipalities)
        by_id = dict(self.by_id)
        offices: dict[str, OfficeEntry | Gone] = {}
        contacts: dict[str, ContactEntry | Gone] = {}
        owners: dict[str, str | Gone] = {}
        erased: dict[str, str | Gone] = {}
        pending = dict(self.pending)
        pending_after = dict(self.pending_after)
        for old in old_parts:
            if old.entry is not None:
                del municipalities[bisect_left(municipalities, old.entry.order, key=_order)]
                del by_id[old.id]
            offices.update((office.id, GONE) for office in old.offices)
            contacts.update((contact.id, GONE) for contact in old.contacts)
            owners.update((entry_id, GONE) for entry_id in old.owned if self.owners.get(entry_id) == old.id)
            erased.update((entry_id, GONE) for entry_id in old.erased if self.erased.get(entry_id) == old.id)
            pending.pop(old.id, None)
            pending_after.pop(old.id, None)
        for new in new_parts:
            if new.entry is not None:
                insort(municipalities, new.entry, key=_order)
                by_id[new.id] = new.entry
            offices.update((o.id, o) for o in new.offices)
            contacts.update((c.id, c) for c in new.contacts)
            owners.update((entry_id, new.id) for entry_id in new.owned)
            erased.update((entry_id, new.id) for entry_id in new.erased)
            if new.pending is not None:
                pending[new.id], pending_after[new.id] = new.pending

        topic_forms = {k: dict(v) for k, v in self.topic_forms.items()}
        language_counts = dict(self.language_counts)
        _count(topic_forms, language_counts, [p.entry for p in old_parts if p.entry], -1)
        _count(topic_forms, language_counts, [p.entry for p in new_parts if p.entry], 1)

        return Snapshot(
            revision=revision,
            loaded_at=time.time(),
            municipalities=municipalities,
            by_id=by_id,
            offices=_layered(self.offices).updated(offices.items()),
            contacts=_layered(self.contacts).updated(contacts.items()),
            index=self.index.updated(
                (p.id for p in old_parts if p.search_document is not None),
                ((p.id, p.search_document) for p in new_parts if p.search_document is not None),
            ),
            topics=_topics(topic_forms),
            languages=sorted(language_counts),
            owners=_layered(self.owners).updated(owners.items()),
            erased=_layered(self.erased).updated(erased.items()),
            feed=self.feed.updated(
                (c for p in old_parts for c in p.changes),
                (c for p in new_parts for c in p.changes),
                _complete_to(revision, pending_after),
            ),
            pending=pending,
            parts=self.parts.updated(part_changes),
            pending_after=pending_after,
            facets=self.facets.updated(
                ((p.id, f) for p in old_parts if (f := p.facts) is not None),
                ((p.id, f) for p in new_parts if (f := p.facts) is not None),
            ),
            geo=self.geo.updated(
                (point for p in old_parts if (point := p.point) is not None),
                (point for p in new_parts if (point := p.point) is not None),
            ),
            links=self.links,
            topic_forms=topic_forms,
            language_counts=language_counts,
        )


def _order(entry: MunicipalityEntry) -> tuple[str, str]:
    return entry.order


def _complete_to(revision: int, pending_after: dict[str, int]) -> int:
    return min([revision, *pending_after.values()])


def _layered(values: Mapping[str, EntryT]) -> Layered[str, EntryT]:
    return values if isinstance(values, Layered) else Layered(dict(values))


def _count(
    topic_forms: dict[str, dict[str, int]],
    language_counts: dict[str, int],
    entries: list[MunicipalityEntry],
    step: int,
) -> None:
    """Add (step 1) or take away (step -1) the topics and languages of these municipalities."""
    for entry in entries:
        for folded, shown in entry.topic_forms.items():
            forms = topic_forms.setdefault(folded, {})
            forms[shown] = forms.get(shown, 0) + step
            if forms[shown] <= 0:
                del forms[shown]
                if not forms:
                    del topic_forms[folded]
        for tag in entry.language_tags:
            language_counts[tag] = language_counts.get(tag, 0) + step
            if language_counts[tag] <= 0:
                del language_counts[tag]


def _topics(topic_forms: dict[str, dict[str, int]]) -> list[str]:
    # One form per folded topic: the first in code-point order (ties between spellings
    # of one topic, "Arbeit" and "arbeit", resolve the same however the snapshot came about).
    return sorted((min(forms) for forms in topic_forms.values()), key=search.fold)


def _found(entry: EntryT | None, kind: str, entry_id: str) -> EntryT:
    if entry is None:
        raise NotFound(f"no {kind} {entry_id}", {"id": entry_id})
    return entry


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
