"""A read-only mapping that is "a base dict plus a few changes": cheap to derive, never mutated.

Snapshots are replaced, never changed in place, so a catch-up that alters one
municipality must not copy the directory-sized dicts it touches (10,000 offices,
30,000 owners, hundreds of thousands of index variants). A Layered map keeps the
base it came from and a small dict of changes on top; deriving the next one copies
only the changes. When the changes grow past a fraction of the base, they are
folded into a new base (one full copy, paid once per that many changes), so
lookups stay at most two dict probes and memory at most base + a fraction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Generic, TypeVar, cast

K = TypeVar("K")
V = TypeVar("V")


class Gone:
    """Marks a key removed in the changes layer."""

    def __reduce__(self) -> str:
        return "GONE"  # one marker, compared by identity: a pack (packs.py) refers to it by name


GONE = Gone()
_MISSING = object()


class Layered(Mapping[K, V], Generic[K, V]):
    __slots__ = ("_base", "_changes", "_size")

    # Fold the changes into a new base once they exceed this share of it.
    FOLD_SHARE = 8
    FOLD_AT_LEAST = 512

    def __init__(self, base: dict[K, V] | None = None) -> None:
        self._base: dict[K, V] = base if base is not None else {}
        self._changes: dict[K, V | Gone] = {}
        self._size = len(self._base)

    def __getitem__(self, key: K) -> V:
        found = self._changes.get(key, _MISSING)
        if found is _MISSING:
            return self._base[key]
        if found is GONE:
            raise KeyError(key)
        return cast(V, found)

    def get(self, key: K, default: V | None = None) -> V | None:  # type: ignore[override]
        found = self._changes.get(key, _MISSING)
        if found is _MISSING:
            return self._base.get(key, default)
        return default if found is GONE else cast(V, found)

    def __contains__(self, key: object) -> bool:
        found = cast(dict[object, object], self._changes).get(key, _MISSING)
        if found is _MISSING:
            return key in self._base
        return found is not GONE

    def __iter__(self) -> Iterator[K]:
        changes = self._changes
        for key in self._base:
            if key not in changes:
                yield key
        for key, value in changes.items():
            if value is not GONE:
                yield key

    def __len__(self) -> int:
        return self._size

    def updated(self, changes: Iterable[tuple[K, V | Gone]]) -> Layered[K, V]:
        """A new map with these keys set (or removed, with GONE); this one is left as it is."""
        merged = dict(self._changes)
        size = self._size
        for key, value in changes:
            before = merged.get(key, _MISSING)
            present = key in self._base if before is _MISSING else before is not GONE
            merged[key] = value
            if value is GONE:
                size -= present
            else:
                size += not present
        derived: Layered[K, V] = Layered.__new__(Layered)
        derived._base, derived._changes, derived._size = self._base, merged, size
        if len(merged) > max(self.FOLD_AT_LEAST, len(self._base) // self.FOLD_SHARE):
            return Layered(dict(derived.items()))
        return derived


def layered(values: Mapping[K, V] | Iterable[tuple[K, V]]) -> Layered[K, V]:
    return Layered(dict(values))
