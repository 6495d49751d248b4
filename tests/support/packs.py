"""What a pack holds, as text: for tests that look for a person in every copy of the directory."""

from __future__ import annotations

import struct
import zlib

from chalicelib.domain import packs


def pack_text(data: bytes) -> str:
    """The pack's pickled snapshot and every text on its shelf, decompressed: every string
    the pack holds appears in it verbatim (layout: domain/packs.py, domain/shelf.py)."""
    at = data.index(b"\n") + 1
    (length,) = struct.unpack_from("<Q", data, at)
    at += 8
    pieces = [zlib.decompress(data[at : at + length])]
    shelf = data[at + length :]
    (count,) = struct.unpack_from("<I", shelf, 0)
    sizes = struct.unpack_from(f"<{count}I", shelf, 4)
    start = 4 * (count + 1)
    for size in sizes:
        pieces.append(zlib.decompress(shelf[start : start + size]))
        start += size
    return b"\n".join(pieces).decode("utf-8", errors="replace")


FORMAT = packs.fingerprint()
