"""The pack's format: a built snapshot, stored so a cold start loads it without rebuilding it.

A cold start at 10,000 municipalities used to parse every document into its part and
build the search index, facets, geo grid, feed and owners from them: ~170 µs of Python
a municipality. The pack now holds the snapshot *as built* — postings, vocabularies,
facet sets, the grid, the feed, owners and the parts — pickled, so loading it is
pickle's C loop creating the objects, with no per-municipality Python code run.
Bodies are never packed: they are rendered when first asked for, as after a full load.
Nor are the entries' documents packed inside the snapshot: they sit on the pack's shelf
(shelf.py), compressed in groups, and an entry opens its group when first rendered.
Layout: header, the snapshot's compressed length (8 bytes), the snapshot, the shelf.

Pickle runs code named by the data it reads; this one finds only the classes listed in
`_ALLOWED` (our snapshot's own types and a few builtins), and anything else makes the
pack unreadable — a pack is then ignored and the directory loaded from its documents.

Versioned: the header holds `FORMAT`, the Python version and a fingerprint of the
bytecode of every packed module. A pack made by other code — an older deployment, a
class that gained a field — is ignored (the next full load rewrites it), never misread.
"""

from __future__ import annotations

import builtins
import gc
import hashlib
import io
import pickle
import struct
import sys
import time
import zlib
from functools import cache
from types import FunctionType, ModuleType
from typing import Any

from . import changes, facets, geoindex, layered, parts, search, shelf, snapshot
from .links import Links
from .shelf import DocumentText, Shelf, ShelfWriter
from .snapshot import Snapshot

# Bump when the layout changes in a way the fingerprint cannot see (e.g. a constant).
FORMAT = 3
_MAGIC = b"GKPACK"
_PACKED_MODULES: tuple[ModuleType, ...] = (snapshot, parts, search, facets, geoindex, layered, changes, shelf)
_LINKS_ID = "links"  # the snapshot's Links: never packed, the loading container's own
_BUILTINS = frozenset({"set", "frozenset"})
_LENGTH = struct.Struct("<Q")


@cache
def fingerprint() -> str:
    """A digest of the packed modules' code: any change to what builds or holds a snapshot."""
    digest = hashlib.sha256(f"{FORMAT}:{sys.version_info[:2]}".encode())
    for module in _PACKED_MODULES:
        digest.update(module.__name__.encode())
        for name, value in sorted(vars(module).items()):
            if getattr(value, "__module__", None) != module.__name__:
                continue
            digest.update(name.encode())
            members = vars(value).items() if isinstance(value, type) else [(name, value)]
            for member_name, member in sorted(members, key=lambda item: item[0]):
                function = next(
                    (f for f in (getattr(member, a, None) for a in ("__func__", "func", "fget")) if f), member
                )
                if isinstance(function, FunctionType):
                    digest.update(member_name.encode())
                    digest.update(function.__code__.co_code)
                elif member_name == "__slots__":
                    digest.update(repr(member).encode())
    return digest.hexdigest()[:32]


def _header() -> bytes:
    return _MAGIC + fingerprint().encode() + b"\n"


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, shelf: ShelfWriter) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._shelf = shelf

    def persistent_id(self, obj: Any) -> str | int | None:
        if type(obj) is DocumentText:
            return self._shelf.add(obj)  # its place on the shelf
        return _LINKS_ID if isinstance(obj, Links) else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, links: Links, shelf: Shelf) -> None:
        super().__init__(file)
        self._links = links
        self._shelf = shelf

    def persistent_load(self, pid: Any) -> Links | tuple[Shelf, int]:
        if type(pid) is int:
            return self._shelf, pid  # an entry's document: taken from the shelf when rendered
        if pid != _LINKS_ID:
            raise pickle.UnpicklingError("unknown persistent id")
        return self._links

    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name in _BUILTINS:
            return getattr(builtins, name)
        if (module, name) in _allowed():
            return getattr(sys.modules[module], name)
        raise pickle.UnpicklingError("a pack names a class it may not hold")


@cache
def _allowed() -> frozenset[tuple[str, str]]:
    return frozenset(
        (module.__name__, name)
        for module in _PACKED_MODULES
        for name, value in vars(module).items()
        if getattr(value, "__module__", None) == module.__name__
        and isinstance(value, (type, layered.Gone))
    )


def encode(built: Snapshot) -> bytes:
    """The pack's bytes for this snapshot (compressed; bodies and links left out)."""
    out = io.BytesIO()
    shelf = ShelfWriter()
    _Pickler(out, shelf).dump(built)
    packed = zlib.compress(out.getbuffer(), 1)
    return _header() + _LENGTH.pack(len(packed)) + packed + shelf.pack()


def decode(data: bytes, links: Links) -> Snapshot | None:
    """The snapshot a pack holds; None when it is of another version or unreadable."""
    header = _header()
    if not data.startswith(header):
        return None
    enabled = gc.isenabled()
    gc.disable()  # ~10⁵ new objects, none garbage: collections meanwhile would only cost
    try:
        (length,) = _LENGTH.unpack_from(data, len(header))
        start = len(header) + _LENGTH.size
        shelf = Shelf(data[start + length :], links)
        loaded = _Unpickler(io.BytesIO(zlib.decompress(data[start : start + length])), links, shelf).load()
    except Exception:
        return None
    finally:
        if enabled:
            gc.enable()
    if not isinstance(loaded, Snapshot):
        return None
    object.__setattr__(loaded, "loaded_at", time.time())  # frozen: set as its __init__ would
    return loaded
