"""Stored documents transformed: replaced content, tombstones, the editable view.

Pure over JSON-shaped dicts; shared by the editing API (editor.py) and the importer
(writer.py).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime

import phonenumbers

from ..domain import entries
from ..domain.entries import EntryKind, Json
from ..domain.views import is_public
from .validation import strip_read_only

_MUNICIPALITY_BOOKKEEPING = ("offices", "tombstones", "pending", "deleted")
# When and by whom a municipality was last confirmed (confirm, below).
CONFIRMATION = ("confirmed_at", "confirmed_by")


def now_iso(clock: Callable[[], datetime]) -> str:
    return clock().astimezone(UTC).isoformat(timespec="milliseconds")


def _without(entry: Json, *names: str) -> Json:
    return {k: v for k, v in entry.items() if k not in names}


def content_only(entry: Json, *also: str) -> Json:
    """What an entry says, without bookkeeping: what replace compares."""
    stripped = strip_read_only(entry)
    return {k: v for k, v in stripped.items() if k not in also}


def editable(kind: EntryKind, entry: Json) -> Json:
    """An entry as an authenticated editor sees it: everything stored, and each ETag.

    Editors edit the numbers; the display forms stored beside them (read-only, ignored in a
    write) let the editing page show a number as the widget does ("+49 2551 692743").
    """
    view = _without(entry, "tombstones", "pending")
    view["etag"] = entries.entry_etag(kind, entry)
    if kind in ("municipality", "office"):
        children = "offices" if kind == "municipality" else "contacts"
        child_kind: EntryKind = "office" if kind == "municipality" else "contact"
        view[children] = [editable(child_kind, child) for child in entry.get(children, [])]
    return view


def entry_in(doc: Json, kind: EntryKind, entry_id: str) -> Json:
    """The municipality itself, or the office or contact of that id in it (NotFound: none)."""
    if kind == "municipality":
        return doc
    return entries.entry_at(doc, entries.locate(doc, kind, entry_id))


def state_of(kind: EntryKind, entry: Json | None) -> tuple[str | None, Json | None]:
    """An entry's ETag and editable representation, for a precondition check."""
    if entry is None:
        return None, None
    return entries.entry_etag(kind, entry), editable(kind, entry)


def confirm(doc: Json, at: str, by: str | None) -> None:
    """Record that `by` confirmed the municipality at `at` (any write does, and "Alles korrekt")."""
    doc["confirmed_at"] = at
    doc["confirmed_by"] = by


def _carry(old: Json | None, new: Json, created: bool, at: str, by: str | None) -> None:
    """Keep an unchanged entry's bookkeeping; mark a changed or new one pending."""
    if old is not None and not created:
        for name in entries.BOOKKEEPING:
            if name in old:
                new[name] = old[name]
    else:
        entries.touch(new, at=at, by=by, created=True)


def replace_content(old: Json | None, content: Json, at: str, by: str | None) -> Json:
    """A document holding `content` (validated, without bookkeeping), carrying over from `old`.

    Entries whose content is unchanged keep their stamps; changed ones are marked
    pending, new ones created, missing ones buried. Used by PUT and by the importer.
    """
    doc = copy.deepcopy(content)
    living = old is not None and not entries.is_deleted(old)
    previous: Json = old if (old is not None and living) else {}
    doc["tombstones"] = copy.deepcopy(old.get("tombstones", [])) if old else []
    if living and content_only(previous, *_MUNICIPALITY_BOOKKEEPING) == content_only(
        doc, *_MUNICIPALITY_BOOKKEEPING
    ):
        _carry(previous, doc, False, at, by)
    else:
        entries.touch(doc, at=at, by=by, created=not living)
        if living:
            doc["created_revision"] = previous.get("created_revision")
        entries.unbury(doc, "municipality", doc["id"])
    for name in CONFIRMATION:
        # An import replaces what a municipality says, not when its office last confirmed it.
        if name in previous:
            doc[name] = previous[name]
    old_offices = {o["id"]: o for o in previous.get("offices", [])}
    old_contacts = {c["id"]: c for o in previous.get("offices", []) for c in o.get("contacts", [])}
    for office in doc.get("offices", []):
        before = old_offices.pop(office["id"], None)
        same = before is not None and content_only(before, "contacts") == content_only(office, "contacts")
        if same:
            _carry(before, office, False, at, by)
        else:
            entries.touch(office, at=at, by=by, created=before is None)
            if before is not None:
                office["created_revision"] = before.get("created_revision")
        for contact in office.get("contacts", []):
            was = old_contacts.pop(contact["id"], None)
            if was is not None and content_only(was) == content_only(contact):
                _carry(was, contact, False, at, by)
                continue
            entries.touch(contact, at=at, by=by, created=was is None)
            if was is not None:
                contact["created_revision"] = was.get("created_revision")
            publicity(doc, was, contact, at)
    for gone in old_offices.values():
        entries.bury(doc, "office", gone, at=at, public=True)
    for gone in old_contacts.values():
        entries.bury(doc, "contact", gone, at=at, public=is_public(gone))
    return doc


def publicity(doc: Json, before: Json | None, after: Json, at: str) -> None:
    """A contact leaving the public directory leaves a tombstone there; coming back lifts it."""
    if before is not None and is_public(before) and not is_public(after):
        entries.bury(doc, "contact", after, at=at, public=True)
    elif is_public(after):
        entries.unbury(doc, "contact", after["id"])


def tombstone_document(old: Json, at: str) -> Json:
    """A deleted municipality: tombstones of it and of everything in it, nothing personal."""
    doc: Json = {"id": old["id"], "deleted": True, "tombstones": copy.deepcopy(old.get("tombstones", []))}
    for office in old.get("offices", []):
        entries.bury(doc, "office", office, at=at, public=True)
        for contact in office.get("contacts", []):
            entries.bury(doc, "contact", contact, at=at, public=is_public(contact))
    entries.bury(doc, "municipality", old, at=at, public=True)
    return doc


def _international(e164: str) -> str:
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def display_numbers(doc: Json) -> Json:
    """Store each office's and contact's numbers in display form too ("+49 2551 692743").

    Formatted once here, on the write path, so that the read path never imports
    phonenumbers nor formats numbers on every snapshot load (domain/views.py falls
    back to formatting for documents written before). Changes `doc` in place.
    """
    for office in doc.get("offices", []):
        for entry in (office, *office.get("contacts", [])):
            for name in ("phone", "fax"):
                number = entry.get(name)
                if number:
                    entry[f"{name}_display"] = _international(number)
                else:
                    entry.pop(f"{name}_display", None)
    return doc
