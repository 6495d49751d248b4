"""Files shipped inside the package and served as they are: the widget, its demo, the OpenAPI document.

They live under chalicelib/ because Chalice packages only app.py and chalicelib/ into
the Lambda bundle. Each is read once per container and served with a strong ETag, so
clients revalidate them as cheaply as the JSON.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from chalice import Response

from ..domain.bodies import Body
from .responses import CORS_HEADERS, HeaderMap, conditional

ASSETS = Path(__file__).resolve().parent.parent / "assets"


@functools.cache
def asset(name: str) -> Body:
    """The asset's text as served and its ETag, read from the package once per container."""
    return Body.of(wire_text(name, (ASSETS / name).read_text(encoding="utf-8")))


def wire_text(name: str, text: str) -> str:
    """What goes over the wire: a script without its whole-line comments.

    The comments say why for the next engineer and stay in the source; a browser on a
    municipal page needs only the code (the widget's size budget counts what it loads).
    Only lines that are nothing but a `//` comment go: no line of code, string or
    template literal in our scripts starts with `//` (a test checks the widget still runs).
    """
    if not name.endswith(".js"):
        return text
    return "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith("//"))


def serve_asset(
    name: str, request_headers: Mapping[str, str], content_type: str, cache_control: str
) -> Response:
    """The asset, or a 304 when the client holds its ETag; open to any origin."""
    headers: HeaderMap = {**CORS_HEADERS, "Cache-Control": cache_control}
    return conditional(asset(name), request_headers, headers, content_type)
