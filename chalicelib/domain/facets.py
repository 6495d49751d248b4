"""Filter postings: which municipalities have a kind, a Regierungsbezirk, a topic, a language.

A filter then costs a set lookup per candidate (or one set intersection), not a scan
of the directory. Built per snapshot; `updated` shares every set it does not touch
with the previous snapshot's facets (copy on write).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

# facet → value → ids. Values: kind and Regierungsbezirk as stored, topics folded,
# languages lower-cased (with their primary subtag, so `ar` finds `ar-SY`).
FACETS = ("kind", "regierungsbezirk", "topic", "language")


class Facts(NamedTuple):
    """The facet values of one municipality."""

    kind: str
    regierungsbezirk: str
    topics: frozenset[str]
    languages: frozenset[str]

    def values(self) -> Iterable[tuple[str, str]]:
        yield "kind", self.kind
        yield "regierungsbezirk", self.regierungsbezirk
        yield from (("topic", topic) for topic in self.topics)
        yield from (("language", language) for language in self.languages)


class Facets:
    __slots__ = ("postings",)

    def __init__(self, postings: dict[tuple[str, str], frozenset[str]] | None = None) -> None:
        self.postings = postings if postings is not None else {}

    @classmethod
    def build(cls, facts: Iterable[tuple[str, Facts]]) -> Facets:
        sets: dict[tuple[str, str], set[str]] = {}
        for municipality_id, fact in facts:
            for key in fact.values():
                sets.setdefault(key, set()).add(municipality_id)
        return cls({key: frozenset(ids) for key, ids in sets.items()})

    def updated(self, removed: Iterable[tuple[str, Facts]], added: Iterable[tuple[str, Facts]]) -> Facets:
        postings = dict(self.postings)
        changes: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
        for municipality_id, fact in removed:
            for key in fact.values():
                changes.setdefault(key, (set(), set()))[0].add(municipality_id)
        for municipality_id, fact in added:
            for key in fact.values():
                changes.setdefault(key, (set(), set()))[1].add(municipality_id)
        for key, (out, into) in changes.items():
            if out == into:  # a municipality replaced with the same value: nothing moves
                continue
            ids = (postings.get(key, frozenset()) - out) | into
            if ids:
                postings[key] = frozenset(ids)
            else:
                postings.pop(key, None)
        return Facets(postings)

    def matching(self, wanted: Iterable[tuple[str, str]]) -> frozenset[str] | None:
        """Ids having every (facet, value) wanted; None when nothing is wanted (no filter)."""
        sets = [self.postings.get(key, frozenset()) for key in wanted]
        if not sets:
            return None
        sets.sort(key=len)
        result = sets[0]
        for other in sets[1:]:
            result = result & other
        return result
