"""The embeddable widget: `GET /widget.js` (the <gk-directory> element) and `GET /demo`.

The assets live under chalicelib/ because Chalice packages only app.py and
chalicelib/ into the Lambda bundle. They are read once per container and served
as text with a strong ETag, so browsers revalidate them as cheaply as the JSON.
"""

from __future__ import annotations

import functools
from pathlib import Path

from chalice import Blueprint, Response

from ..domain.bodies import Body
from ..web.requests import current
from ..web.responses import CORS_HEADERS, HeaderMap, conditional

ASSETS = Path(__file__).resolve().parent.parent / "assets"
# Short enough that a fixed widget reaches every embedding site within minutes;
# the ETag makes the revalidation after that a body-less 304.
CACHE_CONTROL = "public, max-age=300"

widget_routes = Blueprint(__name__)


@functools.cache
def asset(name: str) -> Body:
    """The asset's text and ETag, read from the package once per container."""
    return Body.of((ASSETS / name).read_text(encoding="utf-8"))


def _serve(name: str, content_type: str) -> Response:
    headers: HeaderMap = {**CORS_HEADERS, "Cache-Control": CACHE_CONTROL}
    return conditional(asset(name), current(widget_routes).headers, headers, content_type)


@widget_routes.route("/widget.js", methods=["GET"])
def widget_js() -> Response:
    return _serve("widget.js", "text/javascript; charset=utf-8")


@widget_routes.route("/demo", methods=["GET"])
def demo() -> Response:
    return _serve("demo.html", "text/html; charset=utf-8")
