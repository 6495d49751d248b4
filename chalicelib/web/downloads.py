"""Download names: Content-Disposition with an ASCII fallback and the exact UTF-8 name."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")
# Characters no file system or header should see in a name; the rest of Unicode may stay.
_UNSAFE_UNICODE = re.compile(r'[\s/\\:*?"<>|\x00-\x1f\x7f]+')


@lru_cache(maxsize=1024)  # one entry per card or bundle; bounded whatever arrives
def content_disposition(stem: str, extension: str = ".vcf") -> str:
    """`attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 filename*).

    Format characters (Unicode category Cf) are dropped first: invisible in a name, they
    can only mislead — U+202E turns "Rechnung\u202efdp.exe" into what reads as
    "Rechnungexe.pdf" — and the rest is the name as written.
    """
    stem = "".join(c for c in stem if unicodedata.category(c) != "Cf")
    utf8_name = (_UNSAFE_UNICODE.sub("_", stem).strip("._") or "vcard")[:120] + extension
    folded = unicodedata.normalize("NFKD", stem.translate(_TRANSLITERATION))
    ascii_stem = "".join(c for c in folded if not unicodedata.combining(c))
    ascii_name = (_UNSAFE_ASCII.sub("_", ascii_stem).strip("._") or "vcard")[:120] + extension
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name, safe='')}"
