"""Records in the API's file shape: plain dicts, ``{"municipalities": [record, …]}``.

The helpers here know only the shape, not the rules: validation stays with the write-side
models (``chalicelib``), which the import runs after reading a file.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

Record = dict[str, Any]

# Key order of written JSON: the models' field order, so a file reads like the API's answers.
# Keys not listed follow in alphabetical order.
_ORDER: dict[str, tuple[str, ...]] = {
    "municipality": (
        "id", "name", "kind", "regierungsbezirk", "seat", "coordinates", "population", "website",
        "participation", "offices", "updated_at", "version", "revision",
    ),
    "coordinates": ("lat", "lon"),
    "population": ("count", "as_of"),
    "participation": ("status", "since", "via", "milestones", "sources"),
    "milestone": ("kind", "date", "label", "source"),
    "office": ("id", "name", "role", "address", "phone", "fax", "email", "website", "contacts", "revision"),
    "address": ("street", "postal_code", "locality", "region", "country", "note"),
    "contact": (
        "id", "title", "given_name", "family_name", "function", "phone", "fax", "email", "languages",
        "topics", "public", "revision",
    ),
}
# Which kind of object a key's value holds (a list of them, or one).
_CHILDREN = {
    "coordinates": "coordinates",
    "population": "population",
    "participation": "participation",
    "milestones": "milestone",
    "offices": "office",
    "address": "address",
    "contacts": "contact",
}


def _ordered(value: Any, kind: str) -> Any:
    if isinstance(value, list):
        return [_ordered(item, kind) for item in value]
    if not isinstance(value, Mapping):
        return value
    order = _ORDER[kind]
    keys = sorted(value, key=lambda k: (0, order.index(k)) if k in order else (1, k))
    return {k: _ordered(value[k], _CHILDREN[k]) if k in _CHILDREN else value[k] for k in keys}


def ordered(record: Mapping[str, Any]) -> Record:
    """A copy of a municipality record with its keys (and its parts' keys) in the models' order."""
    result: Record = _ordered(record, "municipality")
    return result


def sort_by_id(records: Iterable[Mapping[str, Any]]) -> list[Record]:
    """Municipality records sorted by official key (stable for records without one)."""
    return sorted((dict(r) for r in records), key=lambda r: str(r.get("id", "")))


def _canonical(value: Any) -> Any:
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            item = _canonical(item)
            if item is None or item == [] or item == {}:
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def canonical(record: Mapping[str, Any]) -> Record:
    """The record without null values, empty lists and empty objects: "absent" has one spelling.

    The table formats cannot tell an empty cell from a missing field, so this is the form in
    which a record survives CSV and XLSX unchanged.
    """
    result: Record = _canonical(record)
    return result


def public_only(records: Iterable[Mapping[str, Any]]) -> list[Record]:
    """Copies of the records without the contacts that are not flagged ``"public": true``.

    For exports that leave the admins' hands (``--public-only``): a contact is private unless
    it says otherwise, exactly as the API treats it.
    """
    result: list[Record] = []
    for original in records:
        record = copy.deepcopy(dict(original))
        for office in record.get("offices") or []:
            if isinstance(office, dict) and "contacts" in office:
                contacts = office["contacts"] or []
                kept = [dict(c) for c in contacts if isinstance(c, Mapping) and c.get("public") is True]
                if kept:
                    office["contacts"] = kept
                else:
                    del office["contacts"]
        result.append(record)
    return result
