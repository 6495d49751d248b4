"""What a pack holds, as text: for tests that look for a person in every copy of the directory."""

from __future__ import annotations

import zlib

from chalicelib.domain import packs


def pack_text(data: bytes) -> str:
    """The pack's pickled snapshot decompressed: every string it holds appears in it verbatim."""
    header_end = data.index(b"\n") + 1
    return zlib.decompress(data[header_end:]).decode("utf-8", errors="replace")


FORMAT = packs.fingerprint()
