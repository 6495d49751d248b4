"""The card cache never keeps a replaced snapshot alive, and takes over cards of unchanged municipalities."""

from __future__ import annotations

import gc
import weakref

from chalicelib.cards import cache
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.parts import part_of
from tests.support.snapshots import shipped, snapshot_of

BASE = "https://verzeichnis.example.org"
# One container's card cache, as bootstrap.cards() holds it for the app.
cards_for = cache.CardCache().get


def test_a_replaced_snapshot_is_freed_with_its_downloads() -> None:
    snapshot = snapshot_of(shipped(), revision=1)
    cards = cards_for(snapshot, BASE)  # a request's view: it holds its snapshot
    cards.selection(snapshot.municipalities)
    rendered = cards.rendered  # what the cache keeps: no snapshot in it
    gone = weakref.ref(snapshot)
    del snapshot, cards  # the request is over
    newer = snapshot_of(shipped(), revision=2)
    cards_for(newer, BASE)
    gc.collect()
    assert gone() is None
    assert rendered.selections == {}  # what was rendered for it alone went with it
    assert rendered.municipalities  # the cards stay for a snapshot that carries them over


def test_cards_of_municipalities_carried_over_are_not_rendered_again() -> None:
    snapshot = snapshot_of(shipped(), revision=3)
    first = cards_for(snapshot, BASE)
    kept, changed = snapshot.municipalities[0], snapshot.municipalities[1]
    kept_cards, changed_cards = first.municipality(kept), first.municipality(changed)
    record = next(m for m in shipped() if m.id == changed.id)
    replacement = part_of(
        StoredDocument(changed.id, 2, record.model_dump_json(exclude={"version"})), snapshot.links
    )
    assert replacement is not None
    newer = snapshot.replaced(4, [replacement])  # as a catch-up makes it: one municipality replaced
    second = cards_for(newer, BASE)
    assert second.municipality(newer.by_id[kept.id]) is kept_cards
    assert second.municipality(newer.by_id[changed.id]) is not changed_cards
