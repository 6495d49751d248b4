"""The in-memory snapshot of the whole directory.

A warm Lambda container answers every read from a Snapshot: plain dicts, the
search index and pre-rendered JSON bodies with their ETags, built once per
revision from the stored documents (freshness.py decides when).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import TypeVar

from . import search
from .bodies import Body, to_json
from .changes import Change, Feed, changes_of
from .documents import StoredDocument
from .entries import entry_ids, is_deleted
from .errors import NotFound
from .links import Json, Links
from .views import (
    municipality_detail,
    municipality_ref,
    municipality_summary,
    office_view,
    public_contacts,
)

log = logging.getLogger(__name__)
EntryT = TypeVar("EntryT")


@dataclass(frozen=True)
class MunicipalityEntry:
    id: str
    name_key: str  # search.order_key: place name, then full name — the order of equal ranks
    kind: str
    regierungsbezirk: str
    lat: float
    lon: float
    topics: frozenset[str]  # folded topics of its public contacts
    languages: frozenset[str]  # lower-case tags of its public contacts, with their primary subtags
    detail: Json
    summary: Json
    summary_json: str
    body: Body


@dataclass(frozen=True)
class OfficeEntry:
    id: str
    municipality_id: str
    view: Json
    body: Body


@dataclass(frozen=True)
class ContactEntry:
    id: str
    office_id: str
    municipality_id: str
    view: Json
    body: Body


def _language_keys(tags: list[str]) -> set[str]:
    keys: set[str] = set()
    for tag in tags:
        lowered = tag.lower()
        keys.add(lowered)
        keys.add(lowered.split("-", 1)[0])
    return keys


@dataclass(frozen=True, eq=False)  # identity equality and hash: one object per loaded revision
class Snapshot:
    revision: int
    loaded_at: float  # epoch seconds
    municipalities: list[MunicipalityEntry]  # by place name; search doc numbers index this list
    by_id: dict[str, MunicipalityEntry]
    offices: dict[str, OfficeEntry]
    contacts: dict[str, ContactEntry]
    index: search.SearchIndex
    topics: list[str]  # vocabularies present, for filter menus
    languages: list[str]
    # Every office and contact id → its municipality, non-public contacts included: ids
    # only, for the write path's lookups and uniqueness checks; never served.
    owners: dict[str, str] = field(default_factory=dict)
    feed: Feed = field(default_factory=lambda: Feed((), 0))
    # Municipalities with a write still waiting for its revision, and since when (ISO).
    pending: dict[str, str] = field(default_factory=dict)

    def municipality(self, municipality_id: str) -> MunicipalityEntry:
        return _found(self.by_id.get(municipality_id), "municipality", municipality_id)

    def office(self, office_id: str) -> OfficeEntry:
        return _found(self.offices.get(office_id), "office", office_id)

    def contact(self, contact_id: str) -> ContactEntry:
        # Non-public contacts are not in the snapshot at all: the same 404 as an unknown id.
        return _found(self.contacts.get(contact_id), "contact", contact_id)

    @classmethod
    def build(cls, revision: int, documents: list[StoredDocument], links: Links) -> Snapshot:
        docs = []
        changes: list[Change] = []
        owners: dict[str, str] = {}
        pending: dict[str, str] = {}
        complete_to = revision
        for stored in documents:
            try:
                doc = json.loads(stored.document)
                changes.extend(changes_of(doc))
                if "pending" in doc:
                    pending[doc["id"]] = doc["pending"]["since"]
                    complete_to = min(complete_to, int(doc["pending"]["after"]))
                if is_deleted(doc):
                    continue
                owners.update((entry_id, doc["id"]) for _, entry_id in entry_ids(doc))
                doc["version"] = stored.version
                docs.append(doc)
            except (ValueError, KeyError, TypeError):
                # Documents are validated on write; a broken one must not take the
                # directory down. Its id is safe to log, its content is not.
                log.error("skipping unreadable document of municipality %s", stored.municipality_id)
        docs.sort(key=lambda d: (search.order_key(d["name"]), d["id"]))

        entries: list[MunicipalityEntry] = []
        offices: dict[str, OfficeEntry] = {}
        contacts: dict[str, ContactEntry] = {}
        search_documents: list[search.Document] = []
        all_topics: dict[str, str] = {}
        all_languages: set[str] = set()
        for doc in docs:
            ref = municipality_ref(doc, links)
            office_views = [office_view(o, doc["id"], links) for o in doc.get("offices", [])]
            public_contacts = [c for o in office_views for c in o["contacts"]]
            for office in office_views:
                office_body = {**office, "municipality": ref}
                offices[office["id"]] = OfficeEntry(
                    office["id"], doc["id"], office, Body.of(to_json(office_body))
                )
                for contact in office["contacts"]:
                    contact_body = {
                        **contact,
                        "office": {"id": office["id"], "name": office["name"]},
                        "municipality": ref,
                    }
                    contacts[contact["id"]] = ContactEntry(
                        contact["id"], office["id"], doc["id"], contact, Body.of(to_json(contact_body))
                    )
            topics = {search.fold(t): t for c in public_contacts for t in c["topics"]}
            all_topics.update(topics)
            languages = [tag for c in public_contacts for tag in c["languages"]]
            all_languages.update(languages)
            summary = municipality_summary(doc, office_views, links)
            detail = municipality_detail(doc, office_views, links)
            entries.append(
                MunicipalityEntry(
                    id=doc["id"],
                    name_key=search.order_key(doc["name"]),
                    kind=doc["kind"],
                    regierungsbezirk=doc["regierungsbezirk"],
                    lat=float(doc["coordinates"]["lat"]),
                    lon=float(doc["coordinates"]["lon"]),
                    topics=frozenset(topics),
                    languages=frozenset(_language_keys(languages)),
                    detail=detail,
                    summary=summary,
                    summary_json=to_json(summary),
                    body=Body.of(to_json(detail)),
                )
            )
            search_documents.append(search.Document(doc["name"], _search_texts(doc)))
        return cls(
            revision=revision,
            loaded_at=time.time(),
            municipalities=entries,
            by_id={e.id: e for e in entries},
            offices=offices,
            contacts=contacts,
            index=search.SearchIndex.build(search_documents),
            topics=sorted(all_topics.values(), key=search.fold),
            languages=sorted(all_languages),
            owners=owners,
            feed=Feed.build(changes, complete_to),
            pending=pending,
        )


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
