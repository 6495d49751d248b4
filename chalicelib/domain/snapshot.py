"""The in-memory snapshot of the whole directory.

A warm Lambda container answers every read from a Snapshot: plain dicts, the
search index, filter postings, a geo grid and JSON bodies with their ETags, built
from the stored documents (directory.py decides when).

Each stored document becomes one `MunicipalityPart` (parts.py) — its entries, the ids it owns,
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

import logging
import time
from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar, cast

from . import search
from .changes import Change, Feed
from .documents import StoredDocument
from .entries import ChildKind
from .errors import NotFound
from .facets import Facets
from .geoindex import GeoIndex
from .layered import GONE, Gone, Layered
from .links import Links
from .parts import ContactEntry, MunicipalityEntry, MunicipalityPart, OfficeEntry, part_of

log = logging.getLogger(__name__)
EntryT = TypeVar("EntryT")


@dataclass(frozen=True, eq=False)  # identity equality and hash: one object per revision served
class Snapshot:
    revision: int
    loaded_at: float  # epoch seconds
    municipalities: list[MunicipalityEntry]  # by place name, then full name and id
    by_id: dict[str, MunicipalityEntry]
    # Every office and public contact by id: views through `owners` and `parts` (_Children).
    offices: Mapping[str, OfficeEntry]
    contacts: Mapping[str, ContactEntry]
    index: search.SearchIndex
    topics: list[str]  # vocabularies present, for filter menus
    languages: list[str]
    # Every office and contact id → its municipality, non-public contacts included: for
    # finding an entry's part, the write path's lookups and uniqueness checks; never served.
    # Directory-sized maps a catch-up touches in a few keys: layered, not copied (layered.py).
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
        owners = Layered({entry_id: p.id for p in parts.values() for entry_id in p.owned})
        layered_parts = Layered(parts)
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
            offices=_Children(owners, layered_parts, "office"),
            contacts=_Children(owners, layered_parts, "contact"),
            index=search.SearchIndex.build(
                (p.id, p.search_document) for p in parts.values() if p.search_document is not None
            ),
            topics=_topics(topic_forms),
            languages=sorted(language_counts),
            owners=owners,
            erased=Layered({entry_id: p.id for p in parts.values() for entry_id in p.erased}),
            feed=Feed.build(
                (c for p in parts.values() for c in p.changes or ()), _complete_to(revision, pending_after)
            ),
            pending={municipality_id: since for municipality_id, (since, _) in pending.items()},
            parts=layered_parts,
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
        owners: dict[str, str | Gone] = {}
        erased: dict[str, str | Gone] = {}
        pending = dict(self.pending)
        pending_after = dict(self.pending_after)
        for old in old_parts:
            if old.entry is not None:
                del municipalities[bisect_left(municipalities, old.entry.order, key=_order)]
                del by_id[old.id]
            owners.update((entry_id, GONE) for entry_id in old.owned if self.owners.get(entry_id) == old.id)
            erased.update((entry_id, GONE) for entry_id in old.erased if self.erased.get(entry_id) == old.id)
            pending.pop(old.id, None)
            pending_after.pop(old.id, None)
        for new in new_parts:
            if new.entry is not None:
                insort(municipalities, new.entry, key=_order)
                by_id[new.id] = new.entry
            owners.update((entry_id, new.id) for entry_id in new.owned)
            erased.update((entry_id, new.id) for entry_id in new.erased)
            if new.pending is not None:
                pending[new.id], pending_after[new.id] = new.pending

        topic_forms = {k: dict(v) for k, v in self.topic_forms.items()}
        language_counts = dict(self.language_counts)
        _count(topic_forms, language_counts, [p.entry for p in old_parts if p.entry], -1)
        _count(topic_forms, language_counts, [p.entry for p in new_parts if p.entry], 1)

        new_owners = _layered(self.owners).updated(owners.items())
        new_layered_parts = self.parts.updated(part_changes)
        return Snapshot(
            revision=revision,
            loaded_at=time.time(),
            municipalities=municipalities,
            by_id=by_id,
            offices=_Children(new_owners, new_layered_parts, "office"),
            contacts=_Children(new_owners, new_layered_parts, "contact"),
            index=self.index.updated(
                (p.id for p in old_parts if p.search_document is not None),
                ((p.id, p.search_document) for p in new_parts if p.search_document is not None),
            ),
            topics=_topics(topic_forms),
            languages=sorted(language_counts),
            owners=new_owners,
            erased=_layered(self.erased).updated(erased.items()),
            feed=self.feed.updated(
                _changes_of(old_parts, self.feed),
                (c for p in new_parts for c in p.changes or ()),
                _complete_to(revision, pending_after),
            ),
            pending=pending,
            parts=new_layered_parts,
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


class _Children(Mapping[str, EntryT]):
    """A snapshot's offices (or public contacts) by id, found through `owners` and the part.

    Not a map of its own: at 10,000 municipalities that was 30,000 entries built (or
    unpickled) at every cold start and updated at every catch-up; the entries are made
    by each part when first asked for (parts.py).
    """

    __slots__ = ("_kind", "_owners", "_parts")

    def __init__(
        self, owners: Mapping[str, str], parts: Mapping[str, MunicipalityPart], kind: ChildKind
    ) -> None:
        self._owners, self._parts, self._kind = owners, parts, kind

    def get(self, key: str, default: EntryT | None = None) -> EntryT | None:  # type: ignore[override]
        owner = self._owners.get(key)
        part = self._parts.get(owner) if owner is not None else None
        if part is None:
            return default
        found = part.office(key) if self._kind == "office" else part.contact(key)
        return default if found is None else cast(EntryT, found)

    def __getitem__(self, key: str) -> EntryT:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def _entries(self) -> Iterator[OfficeEntry | ContactEntry]:
        for part in self._parts.values():
            yield from (part.offices if self._kind == "office" else part.contacts)

    def __iter__(self) -> Iterator[str]:
        return (entry.id for entry in self._entries())

    def __len__(self) -> int:
        return sum(1 for _ in self._entries())


def _changes_of(parts: list[MunicipalityPart], feed: Feed) -> list[Change]:
    """What these parts put into the feed; a part loaded from a pack asks the feed for it."""
    changes = [c for p in parts if p.changes is not None for c in p.changes]
    packed = {p.id for p in parts if p.changes is None}
    return changes + feed.of(packed) if packed else changes


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
