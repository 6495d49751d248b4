"""The documents of a pack, kept compressed in groups and opened one group at a time.

A pack's entries each hold their public document as JSON text (parts.py), ~60 % of the
pack's bytes. Decompressing and copying all of them was a fifth of a cold start at
10,000 municipalities, yet a container renders only the municipalities it is asked
for. So the texts are packed apart from the snapshot (packs.py), `GROUP` to a zlib
stream; an entry holds its place on the shelf, and its first rendering opens the
group it is in (~0.2 ms), which stays open until each of its texts has been taken.
"""

from __future__ import annotations

import struct
import threading
import zlib

from .links import Links

GROUP = 64
_COUNT = struct.Struct("<I")
# Texts of a group are joined by a newline: compact JSON never holds a raw one.
_SEPARATOR = b"\n"


class DocumentText(bytes):
    """A document's JSON text as an entry packs it: a pack puts it on the shelf."""

    __slots__ = ()


class ShelfWriter:
    """Collects the texts of a pack being written; `pack()` is the shelf's bytes."""

    def __init__(self) -> None:
        self._texts: list[bytes] = []

    def add(self, text: bytes) -> int:
        if _SEPARATOR in text:
            raise ValueError("a shelved text may not hold a raw newline")
        self._texts.append(text)
        return len(self._texts) - 1

    def pack(self) -> bytes:
        groups = [
            zlib.compress(_SEPARATOR.join(self._texts[at : at + GROUP]), 1)
            for at in range(0, len(self._texts), GROUP)
        ]
        sizes = b"".join(_COUNT.pack(len(group)) for group in groups)
        return _COUNT.pack(len(groups)) + sizes + b"".join(groups)


class Shelf:
    """The texts of a loaded pack; `take(n)` hands out text n, once. `links` are the loading
    container's, for the entries whose texts it holds (parts.py)."""

    def __init__(self, data: bytes, links: Links) -> None:
        self.links = links
        (count,) = _COUNT.unpack_from(data, 0)
        at = _COUNT.size * (count + 1)
        self._groups: list[memoryview] = []
        view = memoryview(data)
        for n in range(count):
            (size,) = _COUNT.unpack_from(data, _COUNT.size * (n + 1))
            self._groups.append(view[at : at + size])
            at += size
        if at != len(data):
            raise ValueError("a shelf of the wrong length")
        self._open: dict[int, tuple[list[bytes], list[int]]] = {}  # group → texts, how many left
        self._lock = threading.Lock()  # chalice local renders on threads

    def take(self, n: int) -> bytes:
        group, place = divmod(n, GROUP)
        with self._lock:
            opened = self._open.get(group)
            if opened is None:
                texts = zlib.decompress(self._groups[group]).split(_SEPARATOR)
                opened = self._open[group] = (texts, [len(texts)])
            texts, left = opened
            left[0] -= 1
            if left[0] == 0:  # every entry of the group has its document: close it
                del self._open[group]
            return texts[place]
