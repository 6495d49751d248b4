"""The editing API's writes, entry by entry: each one change to one municipality's item.

Offices and contacts live inside their municipality's item, so every write here is one
conditional PutItem of that item, by the write protocol (protocol.py: its steps, and why
the revision is stamped after the item write). Every write checks the client's If-Match
against the *entry's* ETag, not the item's, so edits of different entries never conflict.
"""

from __future__ import annotations

import copy
import random
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from ..domain import entries
from ..domain.edits import Preconditions, Written
from ..domain.entries import ChildKind, EntryKind, Json
from ..domain.errors import Conflict, InvalidRecord, NotFound, StaleVersion, TooManyConflicts
from ..domain.principal import Principal
from ..domain.views import is_public
from ..storage.store import DirectoryStore
from .document_edits import (
    confirm,
    editable,
    entry_in,
    now_iso,
    publicity,
    replace_content,
    state_of,
    tombstone_document,
)
from .document_edits import content_only as _content
from .identity import check_new_ids
from .models import MAX_CONTACTS_PER_OFFICE, MAX_OFFICES, Contact, Office
from .municipalities import check_participation, municipality_content
from .protocol import WriteProtocol, turn_of
from .reference import ReferenceEntry
from .validation import error_at, require_object, room_for, strip_read_only, validated

# A pending write older than this is taken to be dead and is settled by readers.
SETTLE_AFTER = timedelta(seconds=60)
CONFLICTS_MESSAGE = "too many concurrent writes to this municipality; try again"


class Editor:
    """Applies one change at a time to one municipality's item, by the write protocol (protocol.py)."""

    # Lost races are retried for this long (Lambda's timeout is 10 s: the rest is the
    # request's own work), with jittered exponential backoff so that 32 writers to one
    # municipality spread out instead of colliding again in lockstep. Only after that
    # is the answer a 503 too_many_conflicts.
    RETRY_SECONDS = 6.0
    BACKOFF_FIRST = 0.004
    BACKOFF_MAX = 0.1

    def __init__(
        self,
        store: DirectoryStore,
        reference: Callable[[], dict[str, ReferenceEntry]],
        owner_of: Callable[[str], str | None],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        repack: Callable[[], None] | None = None,
        erased_in: Callable[[str], str | None] = lambda _entry_id: None,
    ) -> None:
        self._protocol = WriteProtocol(store, repack)
        self._reference = reference
        self._owner_of = owner_of
        self._erased_in = erased_in
        self._clock = clock
        self._sleep = sleep
        self._monotonic = monotonic

    # -- reads for editors -----------------------------------------------------------

    def read(self, principal: Principal, kind: EntryKind, entry_id: str) -> Json:
        municipality_id = self._municipality_of(kind, entry_id)
        principal.require(municipality_id)
        return editable(kind, _living(self._load(municipality_id)[1], kind, entry_id)[1])

    def _load(self, municipality_id: str) -> tuple[int | None, Json | None]:
        return self._protocol.load(municipality_id)

    def _living_document(self, municipality_id: str) -> Json | None:
        doc = self._load(municipality_id)[1]
        return None if doc is None or entries.is_deleted(doc) else doc

    def _municipality_of(self, kind: EntryKind, entry_id: str) -> str:
        if kind == "municipality":
            return entry_id
        owner = self._owner_of(entry_id)
        if owner is None:
            raise NotFound(f"no such {kind}")
        return owner

    # -- municipalities --------------------------------------------------------------

    def put_municipality(
        self, principal: Principal, municipality_id: str, body: Any, preconditions: Preconditions
    ) -> Written:
        principal.require(municipality_id)  # before validation: no word on a body one may not send
        content = municipality_content(municipality_id, body, self._reference())

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            living = doc is not None and not entries.is_deleted(doc)
            if not living:
                principal.require_admin()
            preconditions.check(*state_of("municipality", doc if living else None))
            check_participation(principal, doc if living else None, content, self._living_document)
            return (
                replace_content(doc, content, at, principal.label),
                "municipality",
                municipality_id,
                not living,
            )

        return self._mutate(municipality_id, change, by=principal.label)

    def patch_municipality(
        self, principal: Principal, municipality_id: str, patch: Any, preconditions: Preconditions
    ) -> Written:
        principal.require(municipality_id)
        require_object(patch)

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            doc = _living(doc, "municipality", municipality_id)[0]
            preconditions.check(*state_of("municipality", doc))
            merged = entries.merge_patch(strip_read_only(doc), strip_read_only(patch))
            content = municipality_content(municipality_id, merged, self._reference())
            check_participation(principal, doc, content, self._living_document)
            return replace_content(doc, content, at, principal.label), "municipality", municipality_id, False

        return self._mutate(municipality_id, change, by=principal.label)

    def delete_municipality(
        self, principal: Principal, municipality_id: str, preconditions: Preconditions
    ) -> Written:
        principal.require_admin()

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            doc = _living(doc, "municipality", municipality_id)[0]
            preconditions.check(*state_of("municipality", doc))
            return tombstone_document(doc, at), "municipality", municipality_id, False

        return self._mutate(municipality_id, change, by=principal.label, deleted=True)

    def confirm_municipality(
        self, principal: Principal, municipality_id: str, preconditions: Preconditions
    ) -> Written:
        """"Alles korrekt": the municipality's entries were checked and are right as they are.

        Only the municipality's confirmation changes (and with it its ETag, and its
        pending revision, so the feed and warm containers pick it up); no office or
        contact is touched, so none of their ETags moves.
        """
        principal.require(municipality_id)

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            doc = _living(doc, "municipality", municipality_id)[0]
            preconditions.check(*state_of("municipality", doc))
            doc["revision"] = None
            confirm(doc, at, principal.label)
            return doc, "municipality", municipality_id, False

        return self._mutate(municipality_id, change, by=principal.label)

    # -- offices and contacts ----------------------------------------------------------

    def add_office(
        self, principal: Principal, municipality_id: str, body: Any, preconditions: Preconditions
    ) -> Written:
        principal.require(municipality_id)
        office = self._new_entry(Office, body, "o-")
        for contact in office.get("contacts", []):
            contact["id"] = "c-" + secrets.token_hex(16)
        parent: tuple[EntryKind, str] = ("municipality", municipality_id)
        return self._add_entry(principal, municipality_id, parent, office, preconditions)

    def add_contact(
        self, principal: Principal, office_id: str, body: Any, preconditions: Preconditions
    ) -> Written:
        municipality_id = self._municipality_of("office", office_id)
        principal.require(municipality_id)
        contact = self._new_entry(Contact, body, "c-")
        return self._add_entry(principal, municipality_id, ("office", office_id), contact, preconditions)

    def patch_office(
        self, principal: Principal, office_id: str, patch: Any, preconditions: Preconditions
    ) -> Written:
        return self.patch_entry(principal, "office", office_id, patch, preconditions)

    def patch_contact(
        self, principal: Principal, contact_id: str, patch: Any, preconditions: Preconditions
    ) -> Written:
        return self.patch_entry(principal, "contact", contact_id, patch, preconditions)

    def delete_office(self, principal: Principal, office_id: str, preconditions: Preconditions) -> Written:
        return self.delete_entry(principal, "office", office_id, preconditions)

    def delete_contact(self, principal: Principal, contact_id: str, preconditions: Preconditions) -> Written:
        return self.delete_entry(principal, "contact", contact_id, preconditions)

    def _add_entry(
        self,
        principal: Principal,
        municipality_id: str,
        parent: tuple[EntryKind, str],
        entry: Json,
        preconditions: Preconditions,
    ) -> Written:
        """Add an office to its municipality or a contact to its office (the parent's ETag: If-Match)."""
        kind: EntryKind = "office" if parent[0] == "municipality" else "contact"

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            doc, into = _living(doc, *parent)
            preconditions.check(*state_of(parent[0], into))
            added = copy.deepcopy(entry)
            for created in (added, *added.get("contacts", [])):
                entries.touch(created, at=at, by=principal.label, created=True)
            if kind == "office":
                room_for("offices", entries.offices(into), MAX_OFFICES).append(added)
            else:
                room_for("contacts", entries.contacts(into), MAX_CONTACTS_PER_OFFICE).append(added)
            return doc, kind, added["id"], True

        return self._mutate(municipality_id, change, by=principal.label)

    def patch_entry(
        self, principal: Principal, kind: ChildKind, entry_id: str, patch: Any, preconditions: Preconditions
    ) -> Written:
        """A JSON merge patch of an office (not its contacts: they have their own routes) or a contact."""
        municipality_id = self._municipality_of(kind, entry_id)
        principal.require(municipality_id)
        require_object(patch)
        children = ("contacts",) if kind == "office" else ()
        if "contacts" in children and "contacts" in patch:
            raise InvalidRecord(
                "contacts are changed through their own routes", error_at("/contacts", "not allowed here")
            )
        model = Office if kind == "office" else Contact

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            doc, entry = _living(doc, kind, entry_id)
            preconditions.check(*state_of(kind, entry))
            merged = entries.merge_patch(_content(entry, *children), strip_read_only(patch))
            merged["id"] = entry_id
            content = {k: v for k, v in validated(model, merged).items() if k not in children}
            if content != _content(entry, *children):
                before = copy.deepcopy(entry)
                kept = {k: entry[k] for k in (*children, "created_revision") if k in entry}
                entry.clear()
                entry.update(content, **kept)
                entries.touch(entry, at=at, by=principal.label)
                if kind == "contact":
                    publicity(doc, before, entry, at)
            return doc, kind, entry_id, False

        return self._mutate(municipality_id, change, by=principal.label)

    def delete_entry(
        self, principal: Principal, kind: ChildKind, entry_id: str, preconditions: Preconditions
    ) -> Written:
        """Delete an office (with its contacts) or a contact: tombstones stay, nothing personal."""
        municipality_id = self._municipality_of(kind, entry_id)
        principal.require(municipality_id)

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            doc, entry = _living(doc, kind, entry_id)
            preconditions.check(*state_of(kind, entry))
            where = entries.locate(doc, kind, entry_id)
            office = doc["offices"][where.office_index]
            if where.contact_index is None:
                del doc["offices"][where.office_index]
            else:
                del office["contacts"][where.contact_index]
            # An office was public as a whole; a contact only if it was flagged so.
            entries.bury(doc, kind, entry, at=at, public=kind == "office" or is_public(entry))
            for contact in entry.get("contacts", []) if kind == "office" else []:
                entries.bury(doc, "contact", contact, at=at, public=is_public(contact))
            return doc, kind, entry_id, False

        return self._mutate(municipality_id, change, by=principal.label, deleted=True)

    def _new_entry(self, model: type[Office] | type[Contact], body: Any, prefix: str) -> Json:
        require_object(body)
        if "id" in body:
            raise InvalidRecord("ids are assigned by the directory", error_at("/id", "must not be given"))
        record = strip_read_only(body)
        record["id"] = prefix + secrets.token_hex(16)
        return validated(model, record)

    # -- the protocol ------------------------------------------------------------------

    def _mutate(
        self,
        municipality_id: str,
        change: Callable[[Json | None, str], tuple[Json, EntryKind, str, bool]],
        *,
        by: str | None,
        deleted: bool = False,
    ) -> Written:
        # Writers in one process (chalice local and `make run` serve on threads) take turns
        # per municipality instead of racing: a lost race costs three round trips, a turn
        # none. Writers in different containers still race, and retry (below).
        with turn_of(municipality_id):
            return self._mutate_racing(municipality_id, change, by=by, deleted=deleted)

    def _mutate_racing(
        self,
        municipality_id: str,
        change: Callable[[Json | None, str], tuple[Json, EntryKind, str, bool]],
        *,
        by: str | None,
        deleted: bool,
    ) -> Written:
        deadline = self._monotonic() + self.RETRY_SECONDS
        attempt = 0
        while True:
            version, doc = self._protocol.load(municipality_id)
            at = now_iso(self._clock)
            new_doc, kind, entry_id, created = change(copy.deepcopy(doc) if doc is not None else None, at)
            if new_doc == doc and not deleted:
                # Nothing changed (a PATCH restating what is stored): no write, no revision.
                same = entry_in(new_doc, kind, entry_id)
                etag = entries.entry_etag(kind, same)
                return Written(
                    kind, entry_id, municipality_id, editable(kind, same), etag, self._protocol.marker()
                )
            if not deleted or not entries.is_deleted(new_doc):
                # Whoever changes an entry has looked at the municipality: the write confirms it.
                confirm(new_doc, at, by)
            check_new_ids(municipality_id, new_doc, doc, self._owner_of, self._erased_in)
            try:
                written_version = self._protocol.put_pending(
                    municipality_id, version, new_doc, doc, at, self._protocol.marker()
                )
            except (StaleVersion, Conflict):
                # Someone else wrote this municipality first: re-read, re-check, re-apply.
                pause = self._backoff(attempt)
                if self._monotonic() + pause > deadline:
                    raise TooManyConflicts(CONFLICTS_MESSAGE) from None
                self._sleep(pause)
                attempt += 1
                continue
            revision = self._protocol.settle([(municipality_id, written_version, new_doc)])
            # Answer with the stamps the settle step gave (or a newer write will give).
            entry = None if deleted else entry_in(entries.stamp(new_doc, revision), kind, entry_id)
            return Written(
                kind,
                entry_id,
                municipality_id,
                editable(kind, entry) if entry is not None else None,
                entries.entry_etag(kind, entry) if entry is not None else None,
                revision,
                created,
            )

    def _backoff(self, attempt: int) -> float:
        """Full jitter: a random pause up to an exponentially growing, capped bound."""
        bound = min(self.BACKOFF_MAX, self.BACKOFF_FIRST * 2 ** min(attempt, 16))
        return random.uniform(0, bound)  # noqa: S311 - jitter, not crypto

    def settle_if_abandoned(self, municipality_id: str) -> bool:
        """Settle a write whose writer died after its item write (readers call this). True if it did."""
        version, doc = self._protocol.load(municipality_id)
        if version is None or doc is None or "pending" not in doc:
            return False
        since = datetime.fromisoformat(doc["pending"]["since"])
        if self._clock() - since < SETTLE_AFTER:
            return False
        self._protocol.settle([(municipality_id, version, doc)])
        return True


def _living(doc: Json | None, kind: EntryKind, entry_id: str) -> tuple[Json, Json]:
    """The one guard of every write and read: the municipality's document and the entry in it.

    A municipality missing or deleted, or an entry not in it: 404.
    """
    if doc is None or entries.is_deleted(doc):
        raise NotFound(f"no such {kind}")
    return doc, entry_in(doc, kind, entry_id)
