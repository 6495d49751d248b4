"""Cards rendered once per snapshot and source base, and served from memory.

Everything held here is bounded by the current snapshot: a new snapshot drops
what was rendered for the previous one, except the cards of municipalities it
carried over unchanged (the same entry object: catch-up keeps them), which are
taken along instead of rendered again. The cache holds snapshots weakly: a
snapshot the directory has replaced is freed as soon as no request uses it, with
the downloads rendered from it.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..domain.bodies import Body
from ..domain.entries import ChildKind
from ..domain.parts import MunicipalityEntry
from ..domain.snapshot import Snapshot
from .render import Card, municipality_cards


@dataclass(frozen=True)
class Bundle:
    """A download: the .vcf text and the jCard, each with its ETag, and the file name header."""

    vcard: Body
    jcard: Body
    filename: str  # stem of the .vcf's download name
    count: int = 1  # cards in it: a download of none is no download


def bundle(cards: Sequence[Card], filename: str) -> Bundle:
    """Several cards as one .vcf and one jCard array."""
    vcard_text = "".join(card.text for card in cards)
    jcard_text = "[" + ",".join(card.jcard for card in cards) + "]"
    return Bundle(Body.of(vcard_text), Body.of(jcard_text), filename, len(cards))


class Rendered:
    """What DirectoryCards rendered for one snapshot and base: kept by the cache, which holds
    no snapshot (a view binds it to the snapshot of the request)."""

    __slots__ = ("bundles", "card_bodies", "cards", "lock", "municipalities", "qr", "selections")

    def __init__(self) -> None:
        # id → (the entry the cards were rendered from, its cards)
        self.municipalities: dict[str, tuple[MunicipalityEntry, list[Card]]] = {}
        self.cards: dict[tuple[ChildKind, str], Card] = {}
        self.card_bodies: dict[tuple[ChildKind, str], Bundle] = {}
        self.bundles: dict[str, Bundle] = {}
        self.selections: OrderedDict[tuple[str, ...], Bundle] = OrderedDict()
        self.qr: dict[str, Body] = {}
        # chalice local serves on threads; a race only renders twice, but the LRU's
        # reordering must not interleave.
        self.lock = threading.Lock()

    def forget_downloads(self) -> None:
        """The snapshot is gone: its downloads are never served again; cards stay for the next."""
        self.bundles.clear()
        self.selections.clear()
        self.card_bodies.clear()
        self.qr.clear()


class DirectoryCards:
    """The cards of one snapshot for one source base, each municipality rendered on first use.

    Everything held here is bounded by the snapshot: one entry per municipality, per
    contact QR code, and a few recent selections of GET /vcards.
    """

    # A selection of the whole directory is ~0.5 MB (vCard and jCard text); eight of
    # them per base is the ceiling on what searches can pin in memory.
    SELECTIONS = 8

    def __init__(
        self,
        snapshot: Snapshot,
        base: str | None,
        previous: Rendered | None = None,
        rendered: Rendered | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.base = base
        fresh = rendered is None
        self.rendered = rendered = rendered or Rendered()
        # What is rendered lives in `rendered`, which the cache keeps without the snapshot.
        self._municipalities = rendered.municipalities
        self._cards = rendered.cards
        self._card_bodies = rendered.card_bodies
        self._bundles = rendered.bundles
        self._selections = rendered.selections
        self._qr = rendered.qr
        self._lock = rendered.lock
        if fresh and previous is not None:
            for municipality_id, (entry, cards) in list(previous.municipalities.items()):
                if snapshot.by_id.get(municipality_id) is entry:  # unchanged: its cards still hold
                    self._keep(entry, cards)

    def _keep(self, entry: MunicipalityEntry, cards: list[Card]) -> None:
        for card in cards:
            self._cards[(card.kind, card.id)] = card
        self._municipalities[entry.id] = (entry, cards)

    def municipality(self, entry: MunicipalityEntry) -> list[Card]:
        found = self._municipalities.get(entry.id)
        if found is not None and found[0] is entry:
            return found[1]
        cards = municipality_cards(entry.detail, self.base)
        self._keep(entry, cards)
        return cards

    def municipality_bundle(self, entry: MunicipalityEntry) -> Bundle:
        found = self._bundles.get(entry.id)
        if found is None:
            found = self._bundles[entry.id] = bundle(self.municipality(entry), entry.detail["name"])
        return found

    def card(self, kind: ChildKind, entity_id: str) -> Card | None:
        """The card of a public contact or an office of this snapshot; None if there is none."""
        owners = self.snapshot.contacts if kind == "contact" else self.snapshot.offices
        owner = owners.get(entity_id)
        if owner is None:
            return None
        self.municipality(self.snapshot.by_id[owner.municipality_id])
        return self._cards[(kind, entity_id)]

    def card_bundle(self, card: Card) -> Bundle:
        """One card's vCard and jCard (a single jCard, not an array) with their ETags."""
        key = (card.kind, card.id)
        found = self._card_bodies.get(key)
        if found is None:
            found = Bundle(Body.of(card.text), Body.of(card.jcard), card.filename)
            self._card_bodies[key] = found
        return found

    def selection(self, entries: Sequence[MunicipalityEntry], filename: str = "gemeinsam-klappts") -> Bundle:
        """The cards of several municipalities in the given order, as one download."""
        key = tuple(entry.id for entry in entries)
        with self._lock:
            found = self._selections.get(key)
            if found is not None:
                self._selections.move_to_end(key)
                return found
        found = bundle([card for entry in entries for card in self.municipality(entry)], filename)
        with self._lock:
            self._selections[key] = found
            while len(self._selections) > self.SELECTIONS:
                self._selections.popitem(last=False)
        return found

    def qr(self, card: Card, make: Callable[[Card], str]) -> Body:
        found = self._qr.get(card.id)
        if found is None:
            found = self._qr[card.id] = Body.of(make(card))
        return found


class CardCache:
    """Cards of the current snapshot only, for a few source bases.

    A new snapshot drops everything rendered for the previous one but the cards of
    municipalities it carried over, so memory stays bounded by one directory's cards
    whatever the traffic. The snapshot itself is held weakly: a replaced snapshot is
    freed as soon as no request uses it. Bases differ only when GK_PUBLIC_BASE_URL is
    unset and requests arrive under several Host names.
    """

    BASES = 4

    def __init__(self) -> None:
        self._snapshot: weakref.ref[Snapshot] | None = None
        self._by_base: OrderedDict[str | None, Rendered] = OrderedDict()
        self._previous: dict[str | None, Rendered] = {}  # of the snapshot before, to take over from
        # Views still in use by some request: the same one is handed out again meanwhile.
        self._views: weakref.WeakValueDictionary[str | None, DirectoryCards] = weakref.WeakValueDictionary()
        self._lock = threading.Lock()

    def get(self, snapshot: Snapshot, base: str | None) -> DirectoryCards:
        with self._lock:
            view = self._views.get(base)
            if view is not None and view.snapshot is snapshot and self._by_base.get(base) is view.rendered:
                self._by_base.move_to_end(base)
                return view
            if self._snapshot is None or self._snapshot() is not snapshot:
                self._previous = dict(self._by_base)
                self._by_base = OrderedDict()
                states = self._by_base
                self._snapshot = weakref.ref(snapshot, _forgetting(states))
            rendered = self._by_base.get(base)
            if rendered is None:
                view = DirectoryCards(snapshot, base, previous=self._previous.pop(base, None))
                self._by_base[base] = view.rendered
                while len(self._by_base) > self.BASES:
                    self._by_base.popitem(last=False)
            else:
                self._by_base.move_to_end(base)
                view = DirectoryCards(snapshot, base, rendered=rendered)
            self._views[base] = view
            return view


def _forgetting(states: dict[str | None, Rendered]) -> Callable[[weakref.ref[Snapshot]], None]:
    def forget(_: weakref.ref[Snapshot]) -> None:
        for state in list(states.values()):
            state.forget_downloads()

    return forget
