"""The widget as a shipped file: its size budget, its safety rules, and how it is served."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from chalice import Chalice
from chalice.test import Client

from chalicelib.routes.widget import ASSETS, WIDGET_LANGUAGES, widget_routes
from chalicelib.web.assets import asset, wire_text

WIDGET = ASSETS / "widget.js"
MAP = ASSETS / "widget-map.json"
DEMO = ASSETS / "demo.html"
LABELS = ASSETS / "widget-i18n"
SIZE_BUDGET = 30 * 1024  # bytes, uncompressed: widget.js plus what it loads for the map (issue 20)


def _source() -> str:
    return WIDGET.read_text(encoding="utf-8")


def test_widget_and_its_map_fit_the_size_budget() -> None:
    # What a browser loads: widget.js as served (its whole-line comments stay in the source).
    size = len(asset("widget.js").text.encode("utf-8")) + len(asset("widget-map.json").text.encode("utf-8"))
    assert size <= SIZE_BUDGET, f"widget.js and widget-map.json are {size} bytes, budget {SIZE_BUDGET}"


def test_the_served_widget_is_the_source_without_its_comment_lines() -> None:
    served, source = asset("widget.js").text.splitlines(), _source().splitlines()
    assert served == [line for line in source if not line.lstrip().startswith("//")]
    assert len(served) < len(source)  # the source does explain itself


def _keys(table: dict[str, object], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in table.items():
        keys |= _keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
    return keys


def _table(lang: str) -> dict[str, object]:
    table: dict[str, object] = json.loads((LABELS / f"{lang}.json").read_text(encoding="utf-8"))
    return table


@pytest.mark.parametrize("lang", WIDGET_LANGUAGES)
def test_every_label_exists_in_every_language(lang: str) -> None:
    # Plural forms differ by language (Arabic has six, German two): count_<category> keys beyond
    # "count_other" are the language's own; every other key is in every table.
    def plain(keys: set[str]) -> set[str]:
        return {k for k in keys if not k.startswith("count_") or k == "count_other"}

    assert plain(_keys(_table(lang))) == plain(_keys(_table("de")))
    table = _table(lang)
    for key, text in table.items():
        if isinstance(text, str):
            # The same placeholders as the German original: a translation never drops the number or name.
            original = _table("de").get(key if not key.startswith("count_") else "count_other")
            assert set(re.findall(r"\{\w+\}", text)) <= set(re.findall(r"\{\w+\}", str(original))) | {"{n}"}


def test_no_other_language_tables_are_shipped() -> None:
    assert sorted(p.stem for p in LABELS.glob("*.json")) == sorted(WIDGET_LANGUAGES)


def test_map_outline_has_every_kreis_and_kreisfreie_stadt_of_nrw() -> None:
    outline = json.loads(MAP.read_text(encoding="utf-8"))
    ids = [kreis for kreis, _ in outline["kreise"]]
    # 22 kreisfreie Städte, 30 Kreise and the StädteRegion Aachen: 53 areas with 5-digit keys in NRW (05...).
    assert len(ids) == len(set(ids)) == 53
    assert all(re.fullmatch(r"05[13579]\d{2}", k) for k in ids)
    assert "05566" in ids and "05334" in ids  # Kreis Steinfurt, StädteRegion Aachen
    assert all(re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]+z)+", d) for _, d in outline["kreise"])


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
    [
        ("/widget.js", "text/javascript; charset=utf-8", WIDGET),
        ("/demo", "text/html; charset=utf-8", DEMO),
        ("/widget-map.json", "application/json; charset=utf-8", MAP),
        ("/widget-i18n/ar.json", "application/json; charset=utf-8", LABELS / "ar.json"),
    ],
)
def test_assets_are_served_cacheable_with_etag_and_cors(
    client: Client, path: str, content_type: str, asset: Path
) -> None:
    response = client.http.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.body.decode("utf-8") == wire_text(asset.name, asset.read_text(encoding="utf-8"))
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
