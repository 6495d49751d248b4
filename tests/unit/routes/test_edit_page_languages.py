"""The editing page's languages as shipped files: one complete table per language, served strictly.

Every table has every key of the German original (nested), each a non-empty string with the
same {placeholders}; plural forms (key_one, key_few, …) are the language's own, but every
language has key_other. The script asks only for keys the tables have and offers the languages
the API serves; the stylesheet uses logical properties only, so right-to-left mirrors it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.routes.edit_page import ASSETS, CONTENT_SECURITY_POLICY, EDIT_LANGUAGES

LABELS = ASSETS / "edit-i18n"
SCRIPT = ASSETS / "edit.js"
STYLES = ASSETS / "edit.css"
PLURAL = re.compile(r"^(\w+)_(zero|one|two|few|many|other)$")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.fixture
def client() -> Client:
    # The real app, as tests/unit/routes/test_edit_page_assets.py explains.
    from app import app

    return Client(app)


def _table(lang: str) -> dict[str, Any]:
    table: dict[str, Any] = json.loads((LABELS / f"{lang}.json").read_text(encoding="utf-8"))
    return table


def _strings(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Every leaf of a table by its dotted path ("f.address.street" is the key "address.street" in "f")."""
    leaves: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            leaves |= _strings(value, f"{prefix}{key}/")
        else:
            leaves[prefix + key] = value
    return leaves


def _plain(keys: set[str]) -> set[str]:
    """The keys every language must have: plural forms other than key_other are the language's own."""
    return {k for k in keys if not PLURAL.match(k) or k.endswith("_other")}


@pytest.mark.parametrize("lang", EDIT_LANGUAGES)
def test_every_key_exists_in_every_language_with_the_same_placeholders(lang: str) -> None:
    original, table = _strings(_table("de")), _strings(_table(lang))
    assert _plain(set(table)) == _plain(set(original)), "the same keys as the German table"
    for key, text in table.items():
        assert isinstance(text, str) and text.strip(), f"{lang}: {key} is an empty or non-string label"
        plural = PLURAL.match(key)
        source = original[f"{plural.group(1)}_other"] if plural else original[key]
        if plural:
            assert plural.group(1) + "_other" in table
            # A form for exactly one or two may say the number in words ("حقلان") instead of {n}.
            assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(source)), f"{lang}: {key}"
        else:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), f"{lang}: {key}"


def test_no_other_language_tables_are_shipped() -> None:
    assert sorted(p.stem for p in LABELS.glob("*.json")) == sorted(EDIT_LANGUAGES)


def test_the_script_offers_the_languages_the_api_serves() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    offered = re.search(r"const LANGS = \[([^\]]*)\];", source)
    assert offered is not None
    assert tuple(re.findall(r"'(\w+)'", offered.group(1))) == EDIT_LANGUAGES
    named = re.search(r"const NAMES = \{([^}]*)\};", source)
    assert named is not None
    assert set(re.findall(r"(\w+): '", named.group(1))) == set(EDIT_LANGUAGES)


def test_every_label_the_script_asks_for_is_in_the_tables() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    top = set(_table("de"))
    asked = set(re.findall(r"\btt\.(\w+)", source)) | set(re.findall(r"\bt\(\)\.(\w+)", source))
    asked |= set(re.findall(r"\bsay\('(\w+)'", source))
    assert asked, "the script reads its labels through tt., t(). and say()"
    assert asked - top == set(), "labels the script uses but no table has"
    for base in re.findall(r"\bsayCount\('(\w+)'", source):
        assert f"{base}_other" in top
    # Nested tables the script indexes: each names its keys in the German original.
    for group in ("f", "hint", "err", "col", "missing", "kinds"):
        assert isinstance(_table("de")[group], dict)


@pytest.mark.parametrize("lang", EDIT_LANGUAGES)
def test_each_table_is_served_with_the_strict_headers(client: Client, lang: str) -> None:
    response = client.http.get(f"/edit-i18n/{lang}.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Access-Control-Allow-Origin" not in response.headers
    assert json.loads(response.body) == _table(lang)


def test_an_unknown_language_is_not_a_file(client: Client) -> None:
    assert client.http.get("/edit-i18n/xx.json").status_code == 404
    assert client.http.get("/edit-i18n/..%2Fedit.json").status_code == 404


def test_the_stylesheet_mirrors_for_right_to_left() -> None:
    # Physical sides (left/right) do not turn round with <html dir="rtl">; logical ones do.
    css = re.sub(r"/\*.*?\*/", "", STYLES.read_text(encoding="utf-8"), flags=re.DOTALL)
    physical = re.findall(r"[\w-]*(?:left|right)[\w-]*\s*:[^;}]*|:\s*(?:left|right)\b", css)
    assert physical == []
    assert "border-inline-start" in css
