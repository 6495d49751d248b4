"""The editing page in its six languages (issue 20, item 7), in chromium against the live API.

Arabic and Persian lay the page out right to left and mirror it; the browser's preference picks
the language, the switch changes it and a reload keeps it, with no flash of another language;
numbers and dates go through Intl; axe-core finds nothing in any of the six.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib import bootstrap
from tests.browser.test_edit_page import STEINFURT, axe, wait_until, with_axe
from tests.support.browser import ARTIFACTS

LANGS = ("de", "en", "ar", "fa", "uk", "tr")
RTL = ("ar", "fa")
LOCALES = {"de": "de-DE", "en": "en-GB", "ar": "ar-EG", "fa": "fa-IR", "uk": "uk-UA", "tr": "tr-TR"}
NAMES = {"de": "Deutsch", "en": "English", "ar": "العربية", "fa": "فارسی", "uk": "Українська", "tr": "Türkçe"}

# The widths of an element's right and left borders.
SIDES = "el => [getComputedStyle(el).borderRightWidth, getComputedStyle(el).borderLeftWidth]"

# Every text the brand line and the page's first heading ever show, from the first paint on.
TEXT_RECORDER = """
window.__texts = [];
new MutationObserver(() => {
  for (const el of [document.getElementById('brand'), document.querySelector('main h1'),
    document.querySelector('main > p')]) {
    const text = el && el.textContent;
    if (text && window.__texts[window.__texts.length - 1] !== text) window.__texts.push(text);
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def _labels(lang: str) -> dict[str, Any]:
    from chalicelib.routes.edit_page import ASSETS

    table: dict[str, Any] = json.loads((ASSETS / "edit-i18n" / f"{lang}.json").read_text(encoding="utf-8"))
    return table


@pytest.fixture
def tokens(live_api: Any) -> dict[str, str]:
    """A token for Kreis Steinfurt's office and an admin's; these tests only read."""
    assert bootstrap.settings().table_name == live_api.store.table_name
    made = {}
    for name, scope in (("coordinator", f"municipality:{STEINFURT}"), ("admin", "admin")):
        made[name], _ = bootstrap.tokens().create(scope, f"languages {name} {uuid.uuid4().hex[:6]}")
    return made


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """Opens pages in fresh contexts (locale, width) that fail the test on uncaught script errors."""
    contexts: list[Any] = []
    errors: list[str] = []

    def open_with(locale: str, width: int = 1280) -> Any:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_default_timeout(10_000)
        with_axe(page)
        return page

    yield open_with
    for context in contexts:
        context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


def signed_in(page: Any, api_url: str, token: str, lang: str) -> None:
    page.goto(f"{api_url}/edit#token={token}")
    page.get_by_role("heading", level=1, name="Kreis Steinfurt").wait_for()
    page.get_by_role("heading", name=_labels(lang)["contacts"], exact=True).first.wait_for()


def overflowing(page: Any) -> list[str]:
    """Elements of the page (outside the widget's shadow DOM) that stick out of the viewport."""
    return list(
        page.evaluate("""() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll('header *, main *')]
        .filter((el) => !el.closest('.sr') && el.getClientRects().length)
        .filter((el) => { const r = el.getBoundingClientRect(); return r.left < -1 || r.right > width + 1; })
        .map((el) => el.tagName + '.' + el.className + ': ' + el.textContent.slice(0, 40));
    }""")
    )


def test_arabic_is_right_to_left_mirrored_labelled_in_arabic_and_fits_320_px(
    open_page: Any, api_url: str, tokens: dict[str, str]
) -> None:
    ar = _labels("ar")
    page = open_page("ar-EG", width=320)
    signed_in(page, api_url, tokens["coordinator"], "ar")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.locator("#brand").inner_text() == ar["brand"]
    assert page.title() == f"Kreis Steinfurt – {ar['title']} – Gemeinsam klappt's"
    person = page.locator("main .offices li.contact", has_text="Stephanie Hieronimus")
    person.get_by_role("button", name=f"{ar['edit']} Stephanie Hieronimus").wait_for()
    page.get_by_role("heading", name=ar["confirmTitle"]).wait_for()
    # Steinfurt may have been confirmed by an earlier test of the run: either state, in Arabic.
    state, hint = page.locator(".confirm p").all_inner_texts()
    prefix = ar["confirmedAtBy"].split("{at}")[0]
    assert state == ar["neverConfirmed"] or state.startswith(prefix), state
    assert hint == ar["confirmHint"]
    assert "null" not in page.locator(".confirm").inner_text()
    # The name stays as the directory has it; the number reads left to right inside the Arabic.
    assert "+49 2551 692743" in person.inner_text()
    # Mirrored: the contact's accent line and the content start on the right.
    sides = person.evaluate(SIDES)
    assert sides == ["3px", "0px"]
    box = person.bounding_box()
    heading = person.get_by_role("heading", name="Stephanie Hieronimus").bounding_box()
    assert box["x"] + box["width"] - (heading["x"] + heading["width"]) < 20, "the name starts at the right"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert overflowing(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "edit-page-ar-320.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / "edit-page-ar-320-top.png"))  # docs/edit-page-ar.png

    # The form: Arabic labels, technical fields left to right, and still no overflow.
    person.get_by_role("button", name=f"{ar['edit']} Stephanie Hieronimus").click()
    form = page.locator("form.entry")
    phone = form.get_by_label(ar["f"]["phone"], exact=True)
    assert phone.get_attribute("dir") == "ltr"
    assert form.get_by_label(ar["f"]["family_name"]).input_value() == "Hieronimus"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert overflowing(page) == []
    assert axe(page) == []

    # A refused number: the explanation in Arabic at the field, the count in Arabic's plural form.
    phone.fill("0800 NICHT-ERREICHBAR")
    form.get_by_role("button", name=ar["save"]).click()
    wait_until(page, "document.activeElement?.name === 'phone'")
    assert ar["err"]["phone"] in form.locator(".error").inner_text()
    assert form.locator("[role=alert]").inner_text().startswith(ar["fix_one"])
    assert overflowing(page) == []
    assert axe(page) == []

    # Back in German, the same line is on the left again.
    form.get_by_role("button", name=ar["cancel"]).click()
    page.get_by_role("button", name="Deutsch").click()
    wait_until(page, "document.documentElement.dir === 'ltr'")
    sides = person.evaluate(SIDES)
    assert sides == ["0px", "3px"]


@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_nothing_in_each_language(
    open_page: Any, api_url: str, tokens: dict[str, str], lang: str
) -> None:
    labels = _labels(lang)
    page = open_page(LOCALES[lang])
    page.goto(f"{api_url}/edit")
    page.get_by_role("heading", level=1, name=labels["title"]).wait_for()
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang in RTL else "ltr")
    assert axe(page) == []

    signed_in(page, api_url, tokens["coordinator"], lang)
    assert page.evaluate("document.documentElement.lang") == lang
    page.get_by_role("heading", name=labels["preview"]).wait_for()
    # The preview widget follows the page's language (it reads the nearest lang).
    page.locator(".preview gk-directory [part~=contact]", has_text="Stephanie Hieronimus").wait_for()
    assert axe(page) == []

    # Every plural form the language has (Intl.PluralRules) is in its table.
    categories = page.evaluate(f"new Intl.PluralRules('{lang}').resolvedOptions().pluralCategories")
    assert {f"fix_{c}" for c in categories} <= set(labels)


def test_the_switch_changes_the_language_and_a_reload_keeps_it_without_a_flash(
    open_page: Any, api_url: str, tokens: dict[str, str]
) -> None:
    de, tr, fa = _labels("de"), _labels("tr"), _labels("fa")
    page = open_page("de-DE")
    signed_in(page, api_url, tokens["coordinator"], "de")
    switch = page.get_by_role("group", name=de["language"])
    assert switch.get_by_role("button").all_inner_texts() == [NAMES[lang] for lang in LANGS]
    for lang in LANGS:
        assert switch.get_by_role("button", name=NAMES[lang]).get_attribute("lang") == lang
    assert switch.get_by_role("button", name="Deutsch").get_attribute("aria-pressed") == "true"

    switch.get_by_role("button", name="Türkçe").click()
    page.get_by_role("heading", name=tr["contacts"], exact=True).first.wait_for()
    assert page.evaluate("document.documentElement.lang") == "tr"
    switch = page.get_by_role("group", name=tr["language"])
    assert switch.get_by_role("button", name="Türkçe").get_attribute("aria-pressed") == "true"
    assert switch.get_by_role("button", name="Deutsch").get_attribute("aria-pressed") == "false"
    assert page.evaluate("document.activeElement.id") == "lang-tr", "the focus stays on the switch"
    assert page.get_by_role("button", name=tr["signOut"]).is_visible()

    # A reload keeps Turkish, and from the first paint on nothing was German.
    page.add_init_script(TEXT_RECORDER)
    page.reload()
    page.get_by_role("heading", level=1, name="Kreis Steinfurt").wait_for()
    page.get_by_role("heading", name=tr["contacts"], exact=True).first.wait_for()
    assert page.evaluate("document.documentElement.lang") == "tr"
    texts = page.evaluate("window.__texts")
    assert tr["brand"] in texts
    assert de["brand"] not in texts and de["title"] not in texts and de["loading"] not in texts

    # By keyboard: Persian, right to left, the focus still on the switch.
    page.focus("#lang-fa")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=fa["contacts"], exact=True).first.wait_for()
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["fa", "rtl"]
    assert page.evaluate("document.activeElement.id") == "lang-fa"


@pytest.mark.parametrize(
    ("locale", "lang"), [("uk-UA", "uk"), ("fa-IR", "fa"), ("tr", "tr"), ("fr-FR", "de")]
)
def test_the_browser_preference_picks_the_language(
    open_page: Any, api_url: str, locale: str, lang: str
) -> None:
    page = open_page(locale)
    page.goto(f"{api_url}/edit")
    page.get_by_role("heading", level=1, name=_labels(lang)["title"]).wait_for()
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.get_by_label(_labels(lang)["tokenLabel"]).is_visible()


def test_numbers_and_dates_go_through_intl_in_the_chosen_language(
    open_page: Any, api_url: str, tokens: dict[str, str]
) -> None:
    fa = _labels("fa")
    page = open_page("fa-IR")
    page.goto(f"{api_url}/edit#token={tokens['admin']}")
    table = page.locator("table.report-table")
    table.wait_for()
    assert table.locator("thead th").first.inner_text().startswith(fa["col"]["name"])
    one, two = page.evaluate("[new Intl.NumberFormat('fa').format(1), new Intl.NumberFormat('fa').format(2)]")
    assert (one, two) == ("۱", "۲"), "Persian digits, as Intl writes them"
    offices = table.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert one in offices and "1" not in offices
    # The dates (last change, confirmation, the token's expiry and last use) as Intl writes them in
    # Persian: no Latin digit left.
    dates = [
        d
        for column in (5, 6, 7, 8)
        for d in table.locator(f"tbody tr td:nth-child({column})").all_inner_texts()
        if d not in ("–", fa["live"])
    ]
    assert dates and all(not any(ch.isascii() and ch.isdigit() for ch in d) for d in dates)


def test_a_table_that_cannot_come_leaves_german_or_says_so_in_both(
    open_page: Any, api_url: str, tokens: dict[str, str]
) -> None:
    de = _labels("de")
    # Arabic preferred, its table unreachable: German rather than no words at all.
    page = open_page("ar-EG")
    page.route("**/edit-i18n/ar.json", lambda route: route.abort("connectionrefused"))
    page.goto(f"{api_url}/edit")
    page.get_by_role("heading", level=1, name=de["title"]).wait_for()
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["de", "ltr"]

    # The switch to a table that cannot come keeps the page as it is and says why.
    page.route("**/edit-i18n/tr.json", lambda route: route.abort("connectionrefused"))
    page.get_by_role("button", name="Türkçe").click()
    page.locator("#status", has_text=de["offline"]).wait_for()
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.get_by_role("button", name="Deutsch").get_attribute("aria-pressed") == "true"

    # No table at all: the one message that needs none, in German and English, with a way to retry.
    page.route("**/edit-i18n/*.json", lambda route: route.abort("connectionrefused"))
    page.reload()
    alert = page.get_by_role("alert")
    alert.get_by_text("Das Verzeichnis ist gerade nicht erreichbar.").wait_for()
    assert "The directory cannot be reached right now." in alert.inner_text()
    page.unroute("**/edit-i18n/*.json")
    page.unroute("**/edit-i18n/ar.json")
    alert.get_by_role("button").click()
    page.get_by_role("heading", level=1, name=_labels("ar")["title"]).wait_for()
    assert axe(page) == []
