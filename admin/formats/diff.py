"""What an import would change: the entries of a file against the stored directory.

For ``--dry-run``. Both sides should be in the same normal form — ideally both completed and
validated by the write-side models (``model_dump(mode="json")``), so a phone number written
``0251 …`` in the file and stored as ``+49251…`` is not reported. Before comparing, null values,
empty lists and empty objects are dropped and the store's own fields (``updated_at``,
``version``) are ignored. A change names fields, never values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .columns import STORE_FIELDS
from .records import Record, canonical

Entity = Literal["municipality", "office", "contact"]
Action = Literal["added", "changed", "removed"]


@dataclass(frozen=True)
class Change:
    """One entry added, changed (with the names of the changed fields) or removed.

    An added or removed municipality or office stands for everything inside it: its offices
    and contacts are not listed again.
    """

    entity: Entity
    action: Action
    municipality_id: str
    office_id: str | None = None
    contact_id: str | None = None
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        parts = (self.municipality_id, self.office_id, self.contact_id)
        key = "/".join(k for k in parts if k is not None)
        if self.entity == "contact" and self.contact_id is None:
            key += "/(new contact)"
        text = f"{self.action} {self.entity} {key}"
        return f"{text}: {', '.join(self.fields)}" if self.fields else text


def _changed_fields(old: Mapping[str, Any], new: Mapping[str, Any], skip: frozenset[str]) -> list[str]:
    """Names of differing fields; objects (address, participation …) one level down."""
    names = []
    for key in sorted((set(old) | set(new)) - skip):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            names += [f"{key}.{sub}" for sub in sorted(set(a) | set(b)) if a.get(sub) != b.get(sub)]
        else:
            names.append(key)
    return names


def _order_changed(old: list[Any], new: list[Any]) -> bool:
    """Did entries present on both sides change their order?"""
    both = set(old) & set(new)
    return [k for k in old if k in both] != [k for k in new if k in both]


def _by_id(items: Iterable[Any]) -> tuple[dict[str, Record], list[Record]]:
    keyed: dict[str, Record] = {}
    unkeyed: list[Record] = []
    for item in items:
        if not isinstance(item, Mapping):
            continue
        if isinstance(item.get("id"), str):
            keyed[item["id"]] = dict(item)
        else:
            unkeyed.append(dict(item))
    return keyed, unkeyed


def _diff_contacts(m_id: str, o_id: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    before, _ = _by_id(old.get("contacts") or [])
    after, fresh = _by_id(new.get("contacts") or [])
    changes = []
    for c_id in sorted(set(before) | set(after)):
        if c_id not in after:
            changes.append(Change("contact", "removed", m_id, o_id, c_id))
        elif c_id not in before:
            changes.append(Change("contact", "added", m_id, o_id, c_id))
        else:
            fields = _changed_fields(before[c_id], after[c_id], frozenset())
            if fields:
                changes.append(Change("contact", "changed", m_id, o_id, c_id, tuple(fields)))
    changes += [Change("contact", "added", m_id, o_id, None) for _ in fresh]
    return changes


def _diff_municipality(m_id: str, old: Record, new: Record) -> list[Change]:
    fields = _changed_fields(old, new, STORE_FIELDS | {"offices"})
    before, _ = _by_id(old.get("offices") or [])
    after, fresh = _by_id(new.get("offices") or [])
    if _order_changed(list(before), list(after)):
        fields.append("offices.order")
    changes = [Change("municipality", "changed", m_id, fields=tuple(fields))] if fields else []
    for o_id in sorted(set(before) | set(after)):
        if o_id not in after:
            changes.append(Change("office", "removed", m_id, o_id))
            continue
        if o_id not in before:
            changes.append(Change("office", "added", m_id, o_id))
            continue
        office_fields = _changed_fields(before[o_id], after[o_id], frozenset({"contacts"}))
        old_contacts, _ = _by_id(before[o_id].get("contacts") or [])
        new_contacts, _ = _by_id(after[o_id].get("contacts") or [])
        if _order_changed(list(old_contacts), list(new_contacts)):
            office_fields.append("contacts.order")
        if office_fields:
            changes.append(Change("office", "changed", m_id, o_id, fields=tuple(office_fields)))
        changes += _diff_contacts(m_id, o_id, before[o_id], after[o_id])
    changes += [Change("office", "added", m_id, None) for _ in fresh]
    return changes


def diff(stored: Iterable[Mapping[str, Any]], incoming: Iterable[Mapping[str, Any]]) -> list[Change]:
    """Changes from ``stored`` to ``incoming``, ordered by municipality id, then office and
    contact id (entries without an id last, in file order)."""
    before = {str(r.get("id")): canonical(r) for r in stored}
    after = {str(r.get("id")): canonical(r) for r in incoming}
    changes: list[Change] = []
    for m_id in sorted(set(before) | set(after)):
        if m_id not in after:
            changes.append(Change("municipality", "removed", m_id))
        elif m_id not in before:
            changes.append(Change("municipality", "added", m_id))
        else:
            changes += _diff_municipality(m_id, before[m_id], after[m_id])
    return changes
