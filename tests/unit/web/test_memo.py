"""Response bodies are rendered once per snapshot and query, and never outlive their snapshot's turn."""

from __future__ import annotations

import gc
import weakref

from chalicelib.domain.bodies import Body
from chalicelib.web.memo import SnapshotMemo
from tests.support.snapshots import shipped, snapshot_of


def test_once_per_snapshot_and_key_and_afresh_for_a_new_snapshot() -> None:
    memo = SnapshotMemo(size=2)
    rendered: list[str] = []

    def render(text: str) -> Body:
        rendered.append(text)
        return Body.of(text)

    first = snapshot_of(shipped(), revision=1)
    assert memo.body(first, "a", lambda: render("a1")) is memo.body(first, "a", lambda: render("a2"))
    memo.body(first, "b", lambda: render("b1"))
    memo.body(first, "c", lambda: render("c1"))  # evicts "a", the least recently used
    assert memo.body(first, "a", lambda: render("a3")).text == "a3"
    second = snapshot_of(shipped(), revision=2)
    assert memo.body(second, "b", lambda: render("b2")).text == "b2"
    assert rendered == ["a1", "b1", "c1", "a3", "b2"]
    gone = weakref.ref(first)
    del first
    gc.collect()
    assert gone() is None  # the memo held it weakly
