"""The editing page as shipped files: strict headers on every one, and no way for data to become code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from chalice.test import Client

from chalicelib.routes.edit_page import ASSETS, CONTENT_SECURITY_POLICY

HTML = ASSETS / "edit.html"
SCRIPT = ASSETS / "edit.js"
STYLES = ASSETS / "edit.css"
FILES = [("/edit", "text/html; charset=utf-8", HTML), ("/edit.js", "text/javascript; charset=utf-8", SCRIPT),
         ("/edit.css", "text/css; charset=utf-8", STYLES)]
EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@pytest.fixture
def client() -> Client:
    # The real app: registering the blueprint on a second app would re-bind its current_request,
    # and the live server of later tests would read requests from the wrong app.
    from app import app

    return Client(app)


def test_the_policy_is_the_one_the_issue_asks_for() -> None:
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(("path", "content_type", "asset"), FILES)
def test_each_file_is_served_with_the_strict_headers(
    client: Client, path: str, content_type: str, asset: Path
) -> None:
    response = client.http.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Not for embedding elsewhere: unlike the widget, the page sends no CORS headers.
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.body.decode("utf-8") == asset.read_text(encoding="utf-8")


def test_the_page_has_no_inline_script_or_style() -> None:
    html = HTML.read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.DOTALL)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html, re.IGNORECASE), "no inline event handlers"
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html), "nothing from elsewhere"
    assert '<html lang="de">' in html


@pytest.mark.parametrize(
    "sink",
    ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser",
     "createContextualFragment", "eval(", "new Function", "setHTML", "srcdoc"],
)
def test_the_script_never_parses_strings_as_markup_or_code(sink: str) -> None:
    assert sink not in SCRIPT.read_text(encoding="utf-8")


def test_the_script_keeps_the_token_in_session_storage_and_out_of_urls() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    assert "localStorage" not in source and "document.cookie" not in source
    # The token travels in the Authorization header only; it is never put into a URL or logged.
    assert "Authorization: `Bearer ${token}`" in source
    assert not re.search(r"[?&]token=", source)
    assert "console." not in source
    assert "history.replaceState" in source


def test_the_script_and_styles_need_nothing_the_policy_forbids() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    assert not re.search(r"https?://\w", source), "no absolute URLs: every request goes to 'self'"
    assert not re.search(r"^\s*import\s", source, re.MULTILINE) and "import(" not in source
    assert ".style." not in source and "'style'" not in source, "no inline style attributes"
    css = STYLES.read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css
