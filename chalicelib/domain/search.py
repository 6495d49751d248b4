"""Pure search functions: text folding, the inverted index, matching and ranking.

No I/O, no HTTP. The index is built once per snapshot; a query touches only the
postings of its tokens, so search cost grows with the matches, not the directory.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .layered import GONE, Gone, Layered

# -- folding -----------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Written-out umlauts fold onto the bare vowel, as do the umlauts themselves
# (after NFKD strips the diaeresis): ü = ue = u, on both sides of a comparison.
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


# German letters take a fast path through str.translate; anything else still
# non-ASCII afterwards goes through NFKD, which is exact but several times slower.
_GERMAN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss"})
# Latin letters that are letters of their own, not a base letter with a mark, so NFKD
# leaves them alone — yet a German keyboard types the base letter: "Yilmaz" must find
# "Yılmaz", "Lodz" "Łódź", "Soren" "Søren". Ligatures are written out as German writes
# them (æ = ae, œ = oe), which the digraph rule then folds like ä and ö. Casefold has
# lowered them already (Ł → ł, Ø → ø); "İ" needs no entry (NFKD: i + dot above).
_LATIN_LETTERS = str.maketrans(
    {
        "ı": "i",  # Turkish, Azerbaijani dotless i
        "ø": "o",  # Danish, Norwegian
        "đ": "d",  # Croatian, Serbian, Vietnamese
        "ð": "d",  # Icelandic eth
        "ł": "l",  # Polish
        "ħ": "h",  # Maltese
        "ŧ": "t",  # Sámi
        "ƶ": "z",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",  # Icelandic thorn
        "ĸ": "q",  # Greenlandic kra, now written q
    }
)


def fold(text: str) -> str:
    """Fold text for comparison: case, umlauts (ü = ue = u), ß/ss and accents."""
    folded = text.casefold().translate(_GERMAN)  # casefold: ẞ → ss, Ä → ä
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).translate(_LATIN_LETTERS)
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


class Document(NamedTuple):
    """What the index needs to know of one municipality."""

    name: str
    texts: Sequence[tuple[int, str]]  # (field class, text)


def document_tokens(doc: Document) -> dict[str, int]:
    """Every token of a document and the best field class it appears in."""
    found: dict[str, int] = {}
    for field_class, text in doc.texts:
        words = tokens(text)
        if field_class == NAME and len(words) > 1:
            words.append("".join(words))  # "ennepe ruhr" and "enneperuhr" both find it
        for word in words:
            if found.get(word, PEOPLE + 1) > field_class:
                found[word] = field_class
    return found


class SearchIndex:
    """Postings by municipality id, so one municipality can be replaced without renumbering.

    `updated` makes a new index that shares everything it does not touch with this
    one (layered maps, copy on write): a snapshot handed out keeps its index unchanged.
    """

    __slots__ = ("doc_tokens", "exact_names", "postings", "reversed_vocabulary", "vocabulary")

    def __init__(
        self,
        postings: Layered[str, dict[str, int]],  # token → {id: best field}
        vocabulary: list[str],  # sorted, for prefix ranges
        reversed_vocabulary: list[str],  # every token spelled backwards, sorted: suffix ranges
        exact_names: Layered[str, frozenset[str]],  # id → compact name forms
        doc_tokens: Layered[str, dict[str, int]],  # id → its tokens
    ) -> None:
        self.postings, self.vocabulary, self.reversed_vocabulary = postings, vocabulary, reversed_vocabulary
        self.exact_names, self.doc_tokens = exact_names, doc_tokens

    def __getstate__(self) -> tuple[None, dict[str, object]]:
        # A pack leaves each document's tokens out: they are a fifth of its pickle and
        # ~50 ms of a cold start at 10,000, yet only a catch-up reads them, for the few
        # documents it replaces — and the postings hold them too (`_tokens_of`).
        return None, {name: getattr(self, name) for name in self.__slots__ if name != "doc_tokens"}

    def __setstate__(self, state: tuple[None, dict[str, object]]) -> None:
        for name, value in state[1].items():
            setattr(self, name, value)
        self.doc_tokens = Layered()

    @classmethod
    def build(cls, documents: Iterable[tuple[str, Document]]) -> SearchIndex:
        postings: dict[str, dict[str, int]] = {}
        exact_names: dict[str, frozenset[str]] = {}
        doc_tokens: dict[str, dict[str, int]] = {}
        for doc_id, doc in documents:
            exact_names[doc_id] = _exact_names(doc)
            own = doc_tokens[doc_id] = document_tokens(doc)
            for word, field_class in own.items():
                postings.setdefault(word, {})[doc_id] = field_class
        return cls(
            Layered(postings),
            sorted(postings),
            sorted(word[::-1] for word in postings),
            Layered(exact_names),
            Layered(doc_tokens),
        )

    def updated(self, removed: Iterable[str], added: Iterable[tuple[str, Document]]) -> SearchIndex:
        """A new index without the `removed` ids and with the `added` documents."""
        postings: dict[str, dict[str, int]] = {}  # the postings this update touches, copied

        def posting(word: str) -> dict[str, int]:
            found = postings.get(word)
            if found is None:
                found = postings[word] = dict(self.postings.get(word) or {})
            return found

        names: dict[str, frozenset[str] | Gone] = {}
        own_tokens: dict[str, dict[str, int] | Gone] = {}
        before = self._tokens_of(removed)
        for doc_id in before:
            names[doc_id] = own_tokens[doc_id] = GONE
        after: dict[str, dict[str, int]] = {}
        for doc_id, doc in added:
            names[doc_id] = _exact_names(doc)
            own_tokens[doc_id] = after[doc_id] = document_tokens(doc)
        # Only words whose posting for a document differs are touched: a municipality
        # rewritten with the same name and offices leaves "kreis" and its 2,000 ids alone.
        for doc_id in before.keys() | after.keys():
            was, will = before.get(doc_id, {}), after.get(doc_id, {})
            for word in was.keys() | will.keys():
                field_class = will.get(word)
                if was.get(word) == field_class:
                    continue
                if field_class is None:
                    posting(word).pop(doc_id, None)
                else:
                    posting(word)[doc_id] = field_class
        gone = {word for word, found in postings.items() if not found and word in self.postings}
        new = {word for word, found in postings.items() if found and word not in self.postings}
        vocabulary = _resorted(self.vocabulary, gone, new)
        reversed_vocabulary = _resorted(
            self.reversed_vocabulary, {w[::-1] for w in gone}, {w[::-1] for w in new}
        )
        changed_postings: list[tuple[str, dict[str, int] | Gone]] = [
            (word, found if found else GONE) for word, found in postings.items()
        ]
        return SearchIndex(
            self.postings.updated(changed_postings),
            vocabulary,
            reversed_vocabulary,
            self.exact_names.updated(names.items()),
            self.doc_tokens.updated(own_tokens.items()),
        )

    def _tokens_of(self, doc_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        """The tokens each of these documents is indexed under (none for one not indexed).

        Kept per document once built or caught up here; for a document that came with a
        pack, read back from the postings in one pass over the vocabulary, whatever the number
        of documents (3–4 ms over the ~3,600 words of make bench's 10,000 municipalities).
        """
        kept = {doc_id: self.doc_tokens.get(doc_id) for doc_id in doc_ids}
        found = {doc_id: tokens or {} for doc_id, tokens in kept.items()}
        unknown = {doc_id for doc_id, tokens in kept.items() if tokens is None and doc_id in self.exact_names}
        if unknown:
            for word in self.vocabulary:  # exactly the words with a posting
                posting = self.postings[word]
                for doc_id in posting.keys() & unknown:
                    found[doc_id][word] = posting[doc_id]
        return found

    def _prefixed(self, word: str, vocabulary: list[str] | None = None) -> Iterable[str]:
        vocabulary = self.vocabulary if vocabulary is None else vocabulary
        for at in range(bisect_left(vocabulary, word), len(vocabulary)):
            candidate = vocabulary[at]
            if not candidate.startswith(word):
                break
            yield candidate

    def _fuzzy(self, word: str) -> set[str]:
        """Tokens one edit away from a word of FUZZY_MIN_LENGTH or more letters.

        One edit leaves either the first or the last `keep` letters of the word intact
        (keep = (len - 1) // 2, at least 2), so the candidates are the tokens of about the
        same length that start like the word (a range of the sorted vocabulary) or end
        like it (a range of the sorted reversed vocabulary) — no index of variants needed.
        """
        keep = (len(word) - 1) // 2
        shortest, longest = len(word) - 1, len(word) + 1
        candidates = {t for t in self._prefixed(word[:keep]) if shortest <= len(t) <= longest}
        candidates.update(
            t[::-1]
            for t in self._prefixed(word[::-1][:keep], self.reversed_vocabulary)
            if shortest <= len(t) <= longest
        )
        return {c for c in candidates if within_one_edit(word, c)}

    def match_word(self, word: str) -> dict[str, tuple[int, int]]:
        """Docs matching one query word → (match quality, field class), best per doc."""
        found: dict[str, tuple[int, int]] = {}

        def take(token: str, quality: int) -> None:
            for doc_id, field_class in self.postings[token].items():
                score = (quality, field_class)
                if score < found.get(doc_id, (FUZZY + 1, 0)):
                    found[doc_id] = score

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

    def match(self, query: str) -> dict[str, tuple[int, int, int]]:
        """Docs matching every word of the query → (not exact name, quality, field class).

        Lower is better. A multi-word query also matches as one run-together word,
        so "Mönchen Gladbach" finds "Mönchengladbach".
        """
        words = tokens(query)
        if not words:
            return {}
        combined = self._all_words(words)
        if len(words) > 1:
            for doc_id, score in self.match_word("".join(words)).items():
                if score < combined.get(doc_id, (FUZZY + 1, 0)):
                    combined[doc_id] = score
        whole = "".join(words)
        return {
            doc_id: (0 if whole in self.exact_names[doc_id] else 1, *score)
            for doc_id, score in combined.items()
        }

    def _all_words(self, words: list[str]) -> dict[str, tuple[int, int]]:
        result: dict[str, tuple[int, int]] | None = None
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


def _resorted(words: list[str], gone: set[str], new: set[str]) -> list[str]:
    """A sorted word list without `gone` and with `new` (disjoint): a new list, `words` unchanged."""
    if not gone and not new:
        return words
    if len(gone) + len(new) > 64:
        return sorted((set(words) - gone) | new)
    result = list(words)
    for word in gone:
        del result[bisect_left(result, word)]
    for word in new:
        insort(result, word)
    return result


def _exact_names(doc: Document) -> frozenset[str]:
    return frozenset({compact(doc.name), compact(name_core(doc.name))})
