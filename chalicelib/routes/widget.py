"""The embeddable widget: `GET /widget.js` (the <gk-directory> element), what it loads on demand
(`GET /widget-map.json`, the outline of NRW for the map view; `GET /widget-i18n/<lang>.json`, its
labels in one language) and `GET /demo`.

All are package assets (web/assets.py), served as text with a strong ETag.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from ..web.assets import ASSETS, serve_asset
from ..web.requests import current

__all__ = ["ASSETS", "WIDGET_LANGUAGES", "widget_routes"]

# The languages the widget speaks: one table each under assets/widget-i18n/.
WIDGET_LANGUAGES = ("de", "en", "ar", "fa", "uk", "tr")
JSON = "application/json; charset=utf-8"

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


@widget_routes.route("/widget-map.json", methods=["GET"])
def widget_map() -> Response:
    return _serve("widget-map.json", JSON)


def _labels(lang: str) -> None:
    # One fixed route per language: no part of a request ever names a file.
    def labels() -> Response:
        return _serve(f"widget-i18n/{lang}.json", JSON)

    labels.__name__ = f"widget_labels_{lang}"
    widget_routes.route(f"/widget-i18n/{lang}.json", methods=["GET"])(labels)


for _lang in WIDGET_LANGUAGES:
    _labels(_lang)
