"""Pure search functions: text folding, the inverted index, matching and ranking.

No I/O, no HTTP. The index is built once per snapshot; a query touches only the
postings of its tokens, so search cost grows with the matches, not the directory.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# -- folding -----------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Written-out umlauts fold onto the bare vowel, as do the umlauts themselves
# (after NFKD strips the diaeresis): ü = ue = u, on both sides of a comparison.
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


# German letters take a fast path through str.translate; anything else still
# non-ASCII afterwards goes through NFKD, which is exact but several times slower.
_GERMAN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss"})


def fold(text: str) -> str:
    """Fold text for comparison: case, umlauts (ü = ue = u), ß/ss and accents."""
    folded = text.casefold().translate(_GERMAN)  # casefold: ẞ → ss, Ä → ä
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    for digraph, vowel in _DIGRAPHS:
        folded = folded.replace(digraph, vowel)
    return folded


def tokens(text: str) -> list[str]:
    """Folded words; hyphens, spaces and punctuation all separate words."""
    return [t for t in _NON_ALNUM.split(fold(text)) if t]


def compact(text: str) -> str:
    """Folded text without any separators: "Ennepe-Ruhr" = "ennepe ruhr" = "enneperuhr"."""
    return "".join(tokens(text))


# -- edit distance -------------------------------------------------------------

FUZZY_MIN_LENGTH = 5  # one typo is tolerated in query words of five or more letters


def within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution or adjacent swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # substitution
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i:] == b[i + 1 :]  # b has one extra character


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


# -- the index -----------------------------------------------------------------

# Field classes, best first: a match in the municipality's name outranks a match
# in its seat, which outranks office names, which outrank people and topics.
NAME, SEAT, OFFICE, PEOPLE = 0, 1, 2, 3
EXACT, PREFIX, FUZZY = 0, 1, 2

# The official prefixes of NRW municipality names (data/nrw_kommunen.csv and the titles
# cities carry): the place's own name follows. "Ennepe-Ruhr-Kreis" or "Märkischer Kreis"
# have none — the whole name is the place's.
_NAME_PREFIXES = (
    "landeshauptstadt ",
    "bundesstadt ",
    "hansestadt ",
    "städteregion ",
    "rhein-kreis ",
    "stadt ",
    "kreis ",
    "gemeinde ",
)


def name_core(name: str) -> str:
    """The name without its official prefix: "Kreis Steinfurt" → "Steinfurt"."""
    lowered = name.casefold()
    for prefix in _NAME_PREFIXES:
        if lowered.startswith(prefix):
            return name[len(prefix) :]
    return name


def order_key(name: str) -> str:
    """Where a name sorts: by the place ("Gemeinde Bad Sassendorf" under B), then the full name.

    One string, so sort keys and cursors keep their shape: the folded place name and
    the folded full name, joined by NUL, which sorts before any character of a name.
    """
    return fold(name_core(name)) + "\x00" + fold(name)


@dataclass(frozen=True)
class Document:
    """What the index needs to know of one municipality."""

    name: str
    texts: Sequence[tuple[int, str]]  # (field class, text)


@dataclass
class SearchIndex:
    postings: dict[str, dict[int, int]] = field(default_factory=dict)  # token → {doc: best field}
    vocabulary: list[str] = field(default_factory=list)  # sorted, for prefix ranges
    deletion_index: dict[str, set[str]] = field(default_factory=dict)  # variant → tokens
    exact_names: list[frozenset[str]] = field(default_factory=list)  # per doc: compact name forms

    @classmethod
    def build(cls, documents: Iterable[Document]) -> SearchIndex:
        index = cls()
        for doc_number, doc in enumerate(documents):
            index.exact_names.append(frozenset({compact(doc.name), compact(name_core(doc.name))}))
            for field_class, text in doc.texts:
                words = tokens(text)
                if field_class == NAME and len(words) > 1:
                    words.append("".join(words))  # "ennepe ruhr" and "enneperuhr" both find it
                for word in words:
                    posting = index.postings.setdefault(word, {})
                    if posting.get(doc_number, PEOPLE + 1) > field_class:
                        posting[doc_number] = field_class
        index.vocabulary = sorted(index.postings)
        for word in index.vocabulary:
            if len(word) >= FUZZY_MIN_LENGTH - 1:
                for variant in _deletions(word) | {word}:
                    index.deletion_index.setdefault(variant, set()).add(word)
        return index

    def _prefixed(self, word: str) -> Iterable[str]:
        start = bisect_left(self.vocabulary, word)
        for candidate in self.vocabulary[start:]:
            if not candidate.startswith(word):
                break
            yield candidate

    def _fuzzy(self, word: str) -> set[str]:
        candidates: set[str] = set()
        for variant in _deletions(word) | {word}:
            candidates |= self.deletion_index.get(variant, set())
        return {c for c in candidates if within_one_edit(word, c)}

    def match_word(self, word: str) -> dict[int, tuple[int, int]]:
        """Docs matching one query word → (match quality, field class), best per doc."""
        found: dict[int, tuple[int, int]] = {}

        def take(token: str, quality: int) -> None:
            for doc_number, field_class in self.postings[token].items():
                score = (quality, field_class)
                if score < found.get(doc_number, (FUZZY + 1, 0)):
                    found[doc_number] = score

        if word in self.postings:
            take(word, EXACT)
        for token in self._prefixed(word):
            if token != word:
                take(token, PREFIX)
        if len(word) >= FUZZY_MIN_LENGTH:
            for token in self._fuzzy(word):
                if token != word and not token.startswith(word):
                    take(token, FUZZY)
        return found

    def match(self, query: str) -> dict[int, tuple[int, int, int]]:
        """Docs matching every word of the query → (not exact name, quality, field class).

        Lower is better. A multi-word query also matches as one run-together word,
        so "Mönchen Gladbach" finds "Mönchengladbach".
        """
        words = tokens(query)
        if not words:
            return {}
        combined = self._all_words(words)
        if len(words) > 1:
            for doc_number, score in self.match_word("".join(words)).items():
                if score < combined.get(doc_number, (FUZZY + 1, 0)):
                    combined[doc_number] = score
        whole = "".join(words)
        return {
            doc_number: (0 if whole in self.exact_names[doc_number] else 1, *score)
            for doc_number, score in combined.items()
        }

    def _all_words(self, words: list[str]) -> dict[int, tuple[int, int]]:
        result: dict[int, tuple[int, int]] | None = None
        # Rarest-first would be faster still; the first word already narrows enough.
        for word in words:
            matches = self.match_word(word)
            if result is None:
                result = matches
            else:
                result = {d: max(result[d], matches[d]) for d in result.keys() & matches.keys()}
            if not result:
                return {}
        return result or {}
