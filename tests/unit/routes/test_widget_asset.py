"""The widget as a shipped file: its size budget, its safety rules, and how it is served."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from chalice import Chalice
from chalice.test import Client

from chalicelib.routes.widget import ASSETS, widget_routes

WIDGET = ASSETS / "widget.js"
DEMO = ASSETS / "demo.html"
SIZE_BUDGET = 20 * 1024  # bytes, uncompressed: the limit for one embeddable file


def _source() -> str:
    return WIDGET.read_text(encoding="utf-8")


def test_widget_fits_the_size_budget() -> None:
    size = len(WIDGET.read_bytes())
    assert size <= SIZE_BUDGET, f"widget.js is {size} bytes, budget {SIZE_BUDGET}"


def test_widget_makes_no_third_party_requests() -> None:
    # Every request goes to the configured API; no CDN fonts, analytics or imports.
    source = _source()
    assert not re.search(r"https?://", source, re.IGNORECASE), "no absolute URL literals"
    assert not re.search(r"[\"'`(]//", source), "no protocol-relative URL literals"
    assert "@import" not in source and "url(" not in source, "no stylesheet fetches"
    assert not re.search(r"^\s*import\s", source, re.MULTILINE), "the widget must stay dependency-free"
    assert "import(" not in source


@pytest.mark.parametrize(
    "sink",
    ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser",
     "createContextualFragment", "eval(", "new Function", "setHTML"],
)
def test_widget_never_parses_strings_as_markup(sink: str) -> None:
    # API text must reach the DOM as text only; with none of these sinks in the file,
    # there is no code path that could turn a name into markup.
    assert sink not in _source()


def test_widget_sends_no_cookies_and_no_manual_conditional_headers() -> None:
    source = _source()
    assert "credentials: 'omit'" in source
    # If-None-Match set by hand is not CORS-safelisted and would force a preflight;
    # the browser cache revalidates with the ETag on its own.
    assert "if-none-match" not in source.lower()
    assert "document.cookie" not in source


def test_widget_is_one_module_defining_the_element() -> None:
    source = _source()
    assert "customElements.define(TAG, GkDirectoryElement)" in source
    assert "const TAG = 'gk-directory';" in source


def test_demo_embeds_the_widget_from_its_own_service() -> None:
    html = DEMO.read_text(encoding="utf-8")
    assert '<script type="module" src="widget.js"></script>' in html
    assert "<gk-directory" in html
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html), "the demo loads nothing from elsewhere"


@pytest.fixture
def client() -> Client:
    app = Chalice(app_name="widget-test")
    app.register_blueprint(widget_routes)
    return Client(app)


@pytest.mark.parametrize(
    ("path", "content_type", "asset"),
    [("/widget.js", "text/javascript; charset=utf-8", WIDGET), ("/demo", "text/html; charset=utf-8", DEMO)],
)
def test_assets_are_served_cacheable_with_etag_and_cors(
    client: Client, path: str, content_type: str, asset: Path
) -> None:
    response = client.http.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.body.decode("utf-8") == asset.read_text(encoding="utf-8")
    etag = response.headers["ETag"]
    assert re.fullmatch(r'"[^"]+"', etag), "a strong ETag"

    revalidated = client.http.get(path, headers={"If-None-Match": etag})
    assert revalidated.status_code == 304
    assert revalidated.body == b""
    assert revalidated.headers["ETag"] == etag

    changed = client.http.get(path, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


def test_the_two_assets_have_different_etags(client: Client) -> None:
    assert client.http.get("/widget.js").headers["ETag"] != client.http.get("/demo").headers["ETag"]
