"""QR codes of vCards as SVG, for posters and print.

The only module that imports segno, and only inside a function: importing it costs
~40 ms that the JSON routes must not pay at cold start.
"""

from __future__ import annotations

import io
from typing import Any

from ..domain.errors import InvalidRecord

# Error correction M survives ~15 % damage (a poster with a staple through it);
# segno raises it further when the version has room to spare.
ERROR_LEVEL = "m"
SCALE = 4  # px per module: ~1 cm per 10 modules at 96 dpi; SVG scales losslessly anyway
BORDER = 4  # the quiet zone ISO/IEC 18004 asks for


def _segno() -> Any:
    import segno  # deferred: see the module docstring

    return segno


def svg(payload: str, title: str) -> str:
    """An SVG QR code holding `payload` (UTF-8, byte mode), as text.

    Raises InvalidRecord when the payload exceeds what a QR code holds (2,331 octets
    at level M); real cards are a fraction of that.
    """
    segno = _segno()
    try:
        code = segno.make(payload, error=ERROR_LEVEL, micro=False, encoding="utf-8")
    except segno.DataOverflowError:
        octets = len(payload.encode("utf-8"))
        raise InvalidRecord("this card is too large for a QR code", {"octets": octets}) from None
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=SCALE, border=BORDER, xmldecl=True, title=title,
              svgclass=None, lineclass=None)
    return buffer.getvalue().decode("utf-8")
