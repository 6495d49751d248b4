"""Every write to the directory, entry by entry, and the protocol that keeps it whole.

Offices and contacts live inside their municipality's item, so each write is one
conditional PutItem of that item. The protocol, without transactions (dynalite has
none):

1. read the item (strongly consistent) and check the client's If-Match against the
   *entry's* ETag — not the item's — so edits of different contacts never conflict;
2. apply the change; the entries it touches get ``revision: null`` (pending) and the
   document a ``pending`` note: the revision marker's value just before the write;
3. PutItem, conditional on the item's version. Lost the race → back to 1: the entry
   ETag decides again whether this edit still applies (412 if not);
4. bump the revision marker (warm containers reload; its value is the write's revision);
5. stamp the pending entries with that revision: PutItem of the same version, so a
   newer write is never overwritten (a newer write carries the pending entries along
   and stamps them itself).

Why stamp afterwards: a reader loads the marker first, then the items. A revision
taken *before* the item write could be older than a marker a reader already saw,
while the item was not yet there — the feed would skip it for good. A stamp taken
after is always newer than the snapshot that first held the change unstamped; until
then the feed stops short of the pending write (``pending.after``). A writer that dies
after step 3 leaves a pending document: readers serve its content, the feed waits,
and the next load past the grace period settles it (steps 4–5) — a change may be
delayed, never lost.
"""

from __future__ import annotations

import copy
import random
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from ..domain import entries
from ..domain.edits import Preconditions, Written
from ..domain.entries import EntryKind, Json
from ..domain.errors import (
    Conflict,
    Forbidden,
    InvalidRecord,
    NotFound,
    StaleVersion,
    TooManyConflicts,
)
from ..domain.principal import Principal
from ..domain.views import is_public
from ..storage.store import DirectoryStore
from .documents import content_only as _content
from .documents import editable, now_iso, publicity, replace_content, tombstone_document
from .models import MAX_CONTACTS_PER_OFFICE, MAX_OFFICES, Contact, Municipality, Office
from .protocol import WriteProtocol
from .reference import KREIS_KINDS, ReferenceEntry, with_reference_facts
from .validation import strip_read_only, validated

# A pending write older than this is taken to be dead and is settled by readers.
SETTLE_AFTER = timedelta(seconds=60)
CONFLICTS_MESSAGE = "too many concurrent writes to this municipality; try again"


class Editor:
    """Applies one change at a time to one municipality's item, by the protocol above."""

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
        doc = self._living(municipality_id)
        if kind == "municipality":
            return editable(kind, doc)
        return editable(kind, entries.entry_at(doc, entries.locate(doc, kind, entry_id)))

    def _living(self, municipality_id: str) -> Json:
        doc = self._load(municipality_id)[1]
        if doc is None or entries.is_deleted(doc):
            raise NotFound("no such municipality")
        return doc

    def _load(self, municipality_id: str) -> tuple[int | None, Json | None]:
        return self._protocol.load(municipality_id)

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
        content = self._municipality_content(municipality_id, body)

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            living = doc is not None and not entries.is_deleted(doc)
            if not living:
                principal.require_admin()
            preconditions.check(*_state("municipality", doc if living else None))
            self._check_participation(principal, doc if living else None, content)
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
        _require_object(patch)

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            if doc is None or entries.is_deleted(doc):
                raise NotFound("no such municipality")
            preconditions.check(*_state("municipality", doc))
            merged = entries.merge_patch(strip_read_only(doc), strip_read_only(patch))
            content = self._municipality_content(municipality_id, merged)
            self._check_participation(principal, doc, content)
            return replace_content(doc, content, at, principal.label), "municipality", municipality_id, False

        return self._mutate(municipality_id, change, by=principal.label)

    def delete_municipality(
        self, principal: Principal, municipality_id: str, preconditions: Preconditions
    ) -> Written:
        principal.require_admin()

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            if doc is None or entries.is_deleted(doc):
                raise NotFound("no such municipality")
            preconditions.check(*_state("municipality", doc))
            return tombstone_document(doc, at), "municipality", municipality_id, False

        return self._mutate(municipality_id, change, by=principal.label, deleted=True)

    def _municipality_content(self, municipality_id: str, body: Any) -> Json:
        _require_object(body)
        record = strip_read_only(body)
        if record.setdefault("id", municipality_id) != municipality_id:
            raise InvalidRecord(
                "the id in the body differs from the path", _error("/id", "must equal the path's id")
            )
        try:
            record = with_reference_facts(record, self._reference())
        except InvalidRecord as error:
            # The importer names the field; an editor needs a pointer, like every other 422.
            field = str(error.details.get("field", "id"))
            problem = "contradicts the reference table" if "field" in error.details else "not an official key"
            raise InvalidRecord(error.message, {**error.details, **_error(f"/{field}", problem)}) from None
        return validated(Municipality, record, exclude=frozenset({"version", "updated_at"}))

    def _check_participation(self, principal: Principal, doc: Json | None, content: Json) -> None:
        """Participation is the initiative's record of a municipality: admins change it, checked.

        A municipality's own token edits its website, offices and contacts; whether and since
        when it takes part, via which Kreis, and on which sources, is what the initiative's
        admins vouch for (and what the import writes): a municipality token sending a different
        participation is a 403, whatever it says. A changed ``participation.via`` must name a
        Kreis (or the StädteRegion) of the directory, as the import checks (``check_via``);
        the model has checked that the Kommune's key starts with it.
        """
        before = strip_read_only(doc).get("participation") if doc is not None else None
        after = content.get("participation")
        if after == before:
            return
        if not principal.is_admin:
            raise Forbidden(
                "participation is changed by the initiative's admins only",
                {"scope": principal.scope, "pointer": "/participation"},
            )
        via = (after or {}).get("via")
        if via is None or via == (before or {}).get("via"):
            return
        kreis = self._load(str(via))[1]
        if kreis is None or entries.is_deleted(kreis) or kreis.get("kind") not in KREIS_KINDS:
            raise InvalidRecord(
                "participation.via names no Kreis of the directory",
                _error("/participation/via", "names no Kreis of the directory"),
            )

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
            if doc is None or entries.is_deleted(doc):
                raise NotFound(f"no municipality {municipality_id}", {"id": municipality_id})
            preconditions.check(*_state("municipality", doc))
            doc["revision"] = None
            confirm(doc, at, principal.label)
            return doc, "municipality", municipality_id, False

        return self._mutate(municipality_id, change, by=principal.label)

    # -- offices ---------------------------------------------------------------------

    def add_office(
        self, principal: Principal, municipality_id: str, body: Any, preconditions: Preconditions
    ) -> Written:
        principal.require(municipality_id)
        office = self._new_entry(Office, body, "o-")
        for contact in office.get("contacts", []):
            contact["id"] = "c-" + secrets.token_hex(16)

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            if doc is None or entries.is_deleted(doc):
                raise NotFound("no such municipality")
            preconditions.check(*_state("municipality", doc))
            added = copy.deepcopy(office)
            entries.touch(added, at=at, by=principal.label, created=True)
            for contact in added.get("contacts", []):
                entries.touch(contact, at=at, by=principal.label, created=True)
            _room_for("offices", entries.offices(doc), MAX_OFFICES)
            entries.offices(doc).append(added)
            return doc, "office", added["id"], True

        return self._mutate(municipality_id, change, by=principal.label)

    def patch_office(
        self, principal: Principal, office_id: str, patch: Any, preconditions: Preconditions
    ) -> Written:
        municipality_id = self._municipality_of("office", office_id)
        principal.require(municipality_id)
        _require_object(patch)
        if "contacts" in patch:
            raise InvalidRecord(
                "contacts are changed through their own routes", _error("/contacts", "not allowed here")
            )

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            doc = _living_doc(doc, "office", office_id)
            office = entries.entry_at(doc, entries.locate(doc, "office", office_id))
            preconditions.check(*_state("office", office))
            merged = entries.merge_patch(_content(office, "contacts"), strip_read_only(patch))
            merged["id"] = office_id
            content = validated(Office, merged)
            content.pop("contacts", None)
            if content != _content(office, "contacts"):
                kept = {k: office[k] for k in ("contacts", "created_revision") if k in office}
                office.clear()
                office.update(content, **kept)
                entries.touch(office, at=at, by=principal.label)
            return doc, "office", office_id, False

        return self._mutate(municipality_id, change, by=principal.label)

    def delete_office(self, principal: Principal, office_id: str, preconditions: Preconditions) -> Written:
        municipality_id = self._municipality_of("office", office_id)
        principal.require(municipality_id)

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            doc = _living_doc(doc, "office", office_id)
            where = entries.locate(doc, "office", office_id)
            office = entries.entry_at(doc, where)
            preconditions.check(*_state("office", office))
            del doc["offices"][where.office_index]
            entries.bury(doc, "office", office, at=at, public=True)
            for contact in office.get("contacts", []):
                entries.bury(doc, "contact", contact, at=at, public=is_public(contact))
            return doc, "office", office_id, False

        return self._mutate(municipality_id, change, by=principal.label, deleted=True)

    # -- contacts --------------------------------------------------------------------

    def add_contact(
        self, principal: Principal, office_id: str, body: Any, preconditions: Preconditions
    ) -> Written:
        municipality_id = self._municipality_of("office", office_id)
        principal.require(municipality_id)
        contact = self._new_entry(Contact, body, "c-")

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            doc = _living_doc(doc, "office", office_id)
            office = entries.entry_at(doc, entries.locate(doc, "office", office_id))
            preconditions.check(*_state("office", office))
            added = copy.deepcopy(contact)
            entries.touch(added, at=at, by=principal.label, created=True)
            _room_for("contacts", entries.contacts(office), MAX_CONTACTS_PER_OFFICE)
            entries.contacts(office).append(added)
            return doc, "contact", added["id"], True

        return self._mutate(municipality_id, change, by=principal.label)

    def patch_contact(
        self, principal: Principal, contact_id: str, patch: Any, preconditions: Preconditions
    ) -> Written:
        municipality_id = self._municipality_of("contact", contact_id)
        principal.require(municipality_id)
        _require_object(patch)

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            doc = _living_doc(doc, "contact", contact_id)
            contact = entries.entry_at(doc, entries.locate(doc, "contact", contact_id))
            preconditions.check(*_state("contact", contact))
            merged = entries.merge_patch(_content(contact), strip_read_only(patch))
            merged["id"] = contact_id
            content = validated(Contact, merged)
            if content != _content(contact):
                before = copy.deepcopy(contact)
                kept = {k: contact[k] for k in ("created_revision",) if k in contact}
                contact.clear()
                contact.update(content, **kept)
                entries.touch(contact, at=at, by=principal.label)
                publicity(doc, before, contact, at)
            return doc, "contact", contact_id, False

        return self._mutate(municipality_id, change, by=principal.label)

    def delete_contact(self, principal: Principal, contact_id: str, preconditions: Preconditions) -> Written:
        municipality_id = self._municipality_of("contact", contact_id)
        principal.require(municipality_id)

        def change(doc: Json | None, at: str) -> tuple[Json, EntryKind, str, bool]:
            doc = _living_doc(doc, "contact", contact_id)
            where = entries.locate(doc, "contact", contact_id)
            contact = entries.entry_at(doc, where)
            preconditions.check(*_state("contact", contact))
            del doc["offices"][where.office_index]["contacts"][where.contact_index]
            entries.bury(doc, "contact", contact, at=at, public=is_public(contact))
            return doc, "contact", contact_id, False

        return self._mutate(municipality_id, change, by=principal.label, deleted=True)

    def _new_entry(self, model: type[Office] | type[Contact], body: Any, prefix: str) -> Json:
        _require_object(body)
        if "id" in body:
            raise InvalidRecord("ids are assigned by the directory", _error("/id", "must not be given"))
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
        with _turn_of(municipality_id):
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
                same = _entry_of(new_doc, kind, entry_id)
                etag = entries.entry_etag(kind, same)
                return Written(
                    kind, entry_id, municipality_id, editable(kind, same), etag, self._protocol.marker()
                )
            if not deleted or not entries.is_deleted(new_doc):
                # Whoever changes an entry has looked at the municipality: the write confirms it.
                confirm(new_doc, at, by)
            self._check_ids(municipality_id, new_doc, doc)
            try:
                written_version = self._protocol.put_pending(
                    municipality_id, version, new_doc, doc, at, self._protocol.marker()
                )
            except (StaleVersion, Conflict):
                # Someone else wrote this municipality first: re-read, re-check, re-apply.
                pause = self._backoff(attempt)
                if self._monotonic() + pause > deadline:
                    raise TooManyConflicts(
                        "too many concurrent writes to this municipality; try again"
                    ) from None
                self._sleep(pause)
                attempt += 1
                continue
            revision = self._protocol.settle([(municipality_id, written_version, new_doc)])
            # Answer with the stamps the settle step gave (or a newer write will give).
            entry = None if deleted else _entry_of(entries.stamp(new_doc, revision), kind, entry_id)
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

    def _check_ids(self, municipality_id: str, doc: Json, old: Json | None) -> None:
        """Office and contact ids are unique across the directory and never taken again.

        An id held by another municipality's entry is taken; so is the id of an erased
        entry (its tombstone holds it, here or elsewhere): a card's UID derives from the
        id, and address books would take a new person for the erased one. Errors point
        into the body by position: the id itself is what the client sent.
        """
        before = {entry_id for _, entry_id in entries.entry_ids(old)} if old is not None else set()
        erased_here = set(entries.erased_ids(old)) if old is not None else set()
        taken = []
        for pointer, entry_id in _id_places(doc):
            if entry_id in before:
                continue  # the same entry as before (moved between offices, perhaps)
            owner = self._owner_of(entry_id)
            if owner not in (None, municipality_id):
                taken.append(
                    {"pointer": pointer, "message": "this id is taken elsewhere", "type": "duplicate_id"}
                )
            elif entry_id in erased_here or (owner is None and self._erased_in(entry_id) is not None):
                taken.append(
                    {
                        "pointer": pointer,
                        "message": "this id belonged to an erased entry and stays reserved",
                        "type": "reserved_id",
                    }
                )
        if taken:
            raise InvalidRecord("ids must be unique across the directory and never reused", {"errors": taken})


def _id_places(doc: Json) -> Iterator[tuple[str, str]]:
    """(JSON pointer of the id in a municipality body, the id) for every office and contact."""
    for n, office in enumerate(doc.get("offices", [])):
        yield f"/offices/{n}/id", office["id"]
        for m, contact in enumerate(office.get("contacts", [])):
            yield f"/offices/{n}/contacts/{m}/id", contact["id"]


def confirm(doc: Json, at: str, by: str | None) -> None:
    """Record that `by` confirmed the municipality at `at` (any write does, and "Alles korrekt")."""
    doc["confirmed_at"] = at
    doc["confirmed_by"] = by


_turns: dict[str, threading.Lock] = {}
_turns_guard = threading.Lock()


def _turn_of(municipality_id: str) -> threading.Lock:
    """This process's lock for writes to one municipality (73 of them: never pruned)."""
    with _turns_guard:
        return _turns.setdefault(municipality_id, threading.Lock())


def _entry_of(doc: Json, kind: EntryKind, entry_id: str) -> Json:
    if kind == "municipality":
        return doc
    return entries.entry_at(doc, entries.locate(doc, kind, entry_id))


def _state(kind: EntryKind, entry: Json | None) -> tuple[str | None, Json | None]:
    """An entry's ETag and editable representation, for a precondition check."""
    if entry is None:
        return None, None
    return entries.entry_etag(kind, entry), editable(kind, entry)


def _living_doc(doc: Json | None, kind: EntryKind, entry_id: str) -> Json:
    if doc is None or entries.is_deleted(doc):
        raise NotFound(f"no such {kind}")
    return doc


def _room_for(name: str, siblings: list[Json], limit: int) -> None:
    """An added entry must leave the document valid: the models bound offices and contacts."""
    if len(siblings) >= limit:
        raise InvalidRecord(
            f"there are {limit} {name} here already, the most there may be",
            {"errors": [{"pointer": "", "message": f"at most {limit} {name}", "type": "too_long"}]},
        )


def _require_object(body: Any) -> None:
    if not isinstance(body, dict):
        raise InvalidRecord("the body must be a JSON object", _error("", "expected a JSON object"))


def _error(pointer: str, message: str) -> dict[str, Any]:
    return {"errors": [{"pointer": pointer, "message": message, "type": "value_error"}]}
