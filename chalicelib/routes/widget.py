"""The embeddable widget: `GET /widget.js` (the <gk-directory> element) and `GET /demo`.

Both are package assets (web/assets.py), served as text with a strong ETag.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from ..web.assets import ASSETS, serve_asset
from ..web.requests import current

__all__ = ["ASSETS", "widget_routes"]

# Short enough that a fixed widget reaches every embedding site within minutes;
# the ETag makes the revalidation after that a body-less 304.
CACHE_CONTROL = "public, max-age=300"

widget_routes = Blueprint(__name__)


def _serve(name: str, content_type: str) -> Response:
    return serve_asset(name, current(widget_routes).headers, content_type, CACHE_CONTROL)


@widget_routes.route("/widget.js", methods=["GET"])
def widget_js() -> Response:
    return _serve("widget.js", "text/javascript; charset=utf-8")


@widget_routes.route("/demo", methods=["GET"])
def demo() -> Response:
    return _serve("demo.html", "text/html; charset=utf-8")
