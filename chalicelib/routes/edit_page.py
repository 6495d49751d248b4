"""The editing page for coordinating offices: `GET /edit`, its script and stylesheet, `GET /edit/session`.

The page is plain HTML, CSS and one JavaScript module, served by the API itself so
that everything it loads and calls is 'self'. It signs in with a token that arrives
in the URL fragment (`/edit#token=gk_…`, never sent to a server) and talks to the
editing API with `Authorization: Bearer`. Every answer here carries the same strict
headers: a Content-Security-Policy without inline script or style, no framing, no
referrer, no caching.

`GET /edit-i18n/<lang>.json` is the page's own words in one language (one table per language
under assets/edit-i18n/; the page fetches only the one it shows).

`GET /edit/report` gives an admin token the report table (write/report.py).

`GET /edit/session` tells the page whom a token belongs to — its label, scope and,
for a municipality's token, which municipality — so the page can open it without
a "whoami" in the editing API itself.
"""

from __future__ import annotations

import functools
from pathlib import Path

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.bodies import to_json
from ..web import params
from ..web.requests import current
from ..web.responses import JSON_TYPE, HeaderMap
from ..web.writes import PRIVATE
from .authorizer import principal_of, token_authorizer

ASSETS = Path(__file__).resolve().parent.parent / "assets"

# No inline script or style anywhere on the page; the embedded widget keeps its styles in
# a constructed stylesheet, which style-src does not govern (tests/browser checks both).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    # A deploy replaces page and script together; an editor never runs yesterday's script.
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
# The languages the page speaks; the first is the default. Each is named in its own language
# by the page's switch (edit.js), which must list the same ones.
EDIT_LANGUAGES = ("de", "en", "ar", "fa", "uk", "tr")
PAGE_FILES = {
    "edit.html": "text/html; charset=utf-8",
    "edit.js": "text/javascript; charset=utf-8",
    "edit.css": "text/css; charset=utf-8",
    "edit-malformed-link.html": "text/html; charset=utf-8",
    **{f"edit-i18n/{lang}.json": "application/json; charset=utf-8" for lang in EDIT_LANGUAGES},
}

edit_page_routes = Blueprint(__name__)


@functools.cache
def page_file(name: str) -> str:
    """One of the page's files, read from the package once per container."""
    return (ASSETS / name).read_text(encoding="utf-8")


def _serve(name: str, status: int = 200) -> Response:
    headers: HeaderMap = {**SECURITY_HEADERS, "Content-Type": PAGE_FILES[name]}
    return Response(body=page_file(name), status_code=status, headers=headers)


@edit_page_routes.route("/edit", methods=["GET"])
def edit_page() -> Response:
    # The token belongs in the fragment (#token=…), which no server sees. In the query it
    # has reached access logs already: it is not used, not repeated, and the person is
    # told to ask for a new link (a static page: nothing of the request is reflected).
    if "token" in (current(edit_page_routes).query_params or {}):
        return _serve("edit-malformed-link.html", status=400)
    return _serve("edit.html")


@edit_page_routes.route("/edit.js", methods=["GET"])
def edit_script() -> Response:
    return _serve("edit.js")


@edit_page_routes.route("/edit.css", methods=["GET"])
def edit_stylesheet() -> Response:
    return _serve("edit.css")


def _labels(lang: str) -> None:
    # One fixed route per language: no part of a request ever names a file.
    def labels() -> Response:
        return _serve(f"edit-i18n/{lang}.json")

    labels.__name__ = f"edit_labels_{lang}"
    edit_page_routes.route(f"/edit-i18n/{lang}.json", methods=["GET"])(labels)


for _lang in EDIT_LANGUAGES:
    _labels(_lang)


@edit_page_routes.route("/edit/session", methods=["GET"], authorizer=token_authorizer)
def edit_session() -> Response:
    """Whom the request's token belongs to: `{"label", "scope", "municipality"}`."""
    request = current(edit_page_routes)
    params.single_values(request.query_params, ())
    principal = principal_of(request)
    body = {"label": principal.label, "scope": principal.scope, "municipality": principal.municipality_id}
    headers: HeaderMap = {**SECURITY_HEADERS, "Cache-Control": PRIVATE, "Content-Type": JSON_TYPE}
    return Response(body=to_json(body), status_code=200, headers=headers)


@edit_page_routes.route("/edit/report", methods=["GET"], authorizer=token_authorizer)
def edit_report() -> Response:
    """Admins only: completeness and freshness of every municipality, what needs attention first."""
    request = current(edit_page_routes)
    params.single_values(request.query_params, ())
    principal_of(request).require_admin()
    body = {"municipalities": [row.view() for row in bootstrap.report()]}
    headers: HeaderMap = {**SECURITY_HEADERS, "Cache-Control": PRIVATE, "Content-Type": JSON_TYPE}
    return Response(body=to_json(body), status_code=200, headers=headers)
