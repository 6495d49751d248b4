"""Response bodies of the current snapshot, remembered per request: widgets repeat themselves.

A search page or a peers list is a pure function of the snapshot and the query, but
serialising 20 summaries and hashing the body for its ETag costs several times what
finding them does. Each distinct query is rendered once per snapshot; a new snapshot
starts afresh. Bounded (least recently used first out), and the snapshot is held
weakly: the memo never keeps a replaced snapshot alive.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable

from ..domain.bodies import Body
from ..domain.snapshot import Snapshot


class SnapshotMemo:
    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._snapshot: weakref.ref[Snapshot] | None = None
        self._bodies: OrderedDict[Hashable, Body] = OrderedDict()
        self._lock = threading.Lock()

    def body(self, snapshot: Snapshot, key: Hashable, render: Callable[[], Body]) -> Body:
        """The body for `key` on this snapshot: remembered, or rendered now."""
        with self._lock:
            if self._snapshot is None or self._snapshot() is not snapshot:
                self._snapshot = weakref.ref(snapshot)
                self._bodies = OrderedDict()
            found = self._bodies.get(key)
            if found is not None:
                self._bodies.move_to_end(key)
                return found
        body = render()
        with self._lock:
            if self._snapshot() is snapshot and self.size > 0:
                self._bodies[key] = body
                while len(self._bodies) > self.size:
                    self._bodies.popitem(last=False)
        return body

    def clear(self) -> None:
        with self._lock:
            self._snapshot = None
            self._bodies = OrderedDict()
