"""The widget's map view, languages and host-page headings in chromium against the live API (issue 20)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from tests.support.browser import ARTIFACTS, AXE, EVENT_RECORDER

WIDGET = "gk-directory"
POINTS = f"{WIDGET} [part~=point]"
CARDS = f"{WIDGET} [part~=results] > .card"
LANGS = ["de", "en", "ar", "fa", "uk", "tr"]

DEEP_FOCUS = """
window.__deepFocus = () => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return el;
};
"""


def host_page(page: Any, api_url: str, attrs: str = "", lang: str = "de", width: int = 1280) -> Any:
    """A municipal page as many are: one h1, then the two-line embed; same origin as the API."""
    url = f"{api_url}/kontakt-test"
    body = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Kontakte</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<style>h1{font-size:1.5rem}</style>'
            f'<script type="module" src="{api_url}/widget.js"></script></head>'
            '<body><main><h1>Ansprechpersonen</h1>'
            f'<gk-directory {attrs}></gk-directory></main></body></html>')
    page.set_viewport_size({"width": width, "height": 900})
    page.route(url, lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=body))
    page.add_init_script(EVENT_RECORDER + DEEP_FOCUS)
    page.goto(url)
    page.locator(CARDS).first.wait_for()
    # The labels' table arrives by its own request: wait until the search field is labelled.
    page.wait_for_function(
        "() => document.querySelector('gk-directory').shadowRoot"
        ".querySelector('label span').textContent.length"
    )
    return page


def axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "targets": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


def peers_of(api_url: str, municipality: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{api_url}/municipalities/{municipality}/peers?limit=5") as answer:
        items: list[dict[str, Any]] = json.load(answer)["items"]
    return items


def test_demo_shows_the_map_with_every_kreis_and_a_point_per_result(demo: Any) -> None:
    demo.locator(POINTS).first.wait_for()
    assert demo.locator(f"{WIDGET} [part~=map] svg path").count() == 53
    items = demo.evaluate("window.__events.filter(e => e.type === 'results').at(-1).detail.items")
    assert demo.locator(POINTS).count() == len([m for m in items if m.get("coordinates")]) > 30


def test_selecting_kreis_steinfurt_highlights_its_five_nearest_peers_with_distances(
    demo: Any, api_url: str
) -> None:
    point = demo.locator(f"{POINTS}[data-id='05566']")
    point.click()
    demo.locator(f"{WIDGET} [part~=peers] .card").first.wait_for()
    expected = peers_of(api_url, "05566")
    assert len(expected) == 5
    assert point.get_attribute("aria-current") == "true"
    assert demo.locator(f"{WIDGET} line.ln").count() == 5
    labels = sorted(demo.locator(f"{WIDGET} text.lb").evaluate_all("ts => ts.map(t => t.textContent)"))
    assert labels == sorted(f"{round(m['distance_km'])} km" for m in expected)
    highlighted = set(demo.locator(f"{POINTS}.peer").evaluate_all("ps => ps.map(p => p.dataset.id)"))
    assert highlighted == {m["id"] for m in expected}
    # In sync with the list: the selection is the list's peers section and its marked card.
    assert demo.locator(WIDGET).get_attribute("near") == "05566"
    assert "sel" in (demo.locator(f"{CARDS}[data-id='05566']").get_attribute("class") or "")
    ARTIFACTS.mkdir(exist_ok=True)
    demo.locator(f"{WIDGET} [part~=map]").screenshot(path=str(ARTIFACTS / "widget-map.png"))


def test_keyboard_alone_reaches_and_opens_every_point_in_place_name_order(demo: Any) -> None:
    demo.add_script_tag(content=DEEP_FOCUS)
    demo.locator(POINTS).first.wait_for()
    names = demo.locator(POINTS).evaluate_all("ps => ps.map(p => p.getAttribute('aria-label'))")
    ids = demo.locator(POINTS).evaluate_all("ps => ps.map(p => p.dataset.id)")
    prefixes = {"Stadt", "Kreis", "Landeshauptstadt", "Bundesstadt", "Gemeinde", "StädteRegion", "Hansestadt",
                "Rhein-Kreis"}
    cores = [n.split(" ", 1)[-1] if n.split(" ")[0] in prefixes else n for n in names]
    folded = [c.casefold().replace("ü", "u").replace("ö", "o").replace("ä", "a") for c in cores]
    assert folded == sorted(folded)
    # Tab from the view toggle into the map, then through every point: Enter opens its card, Escape returns.
    demo.locator(f"{WIDGET} [data-view=map]").focus()
    for i, municipality in enumerate(ids):
        demo.keyboard.press("Tab")
        assert demo.evaluate("window.__deepFocus().dataset.id") == municipality, names[i]
        demo.keyboard.press("Enter")
        demo.wait_for_function(
            "id => { const el = window.__deepFocus(); return el.matches('.card') && el.dataset.id === id; }",
            arg=municipality)
        demo.keyboard.press("Escape")
        demo.wait_for_function(
            "id => window.__deepFocus().dataset.id === id && window.__deepFocus().matches('.pt')",
            arg=municipality,
        )


def test_points_stay_24px_targets_and_the_map_fits_at_320px(page: Any, api_url: str) -> None:
    host_page(page, api_url, 'view="map"', width=320)
    page.locator(POINTS).first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for box in [p.bounding_box() for p in page.locator(POINTS).all()]:
        assert box["width"] >= 24 and box["height"] >= 24


def test_arabic_is_right_to_left_without_overflow_at_320px(page: Any, api_url: str) -> None:
    host_page(page, api_url, 'q="steinf"', lang="ar", width=320)
    page.get_by_label("البحث في الدليل").wait_for()
    assert page.locator(f"{WIDGET} >> div[dir]").first.get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    card = page.locator(CARDS).first
    box = card.bounding_box()
    # Reading order right to left: the heading starts at the card's right edge, the contact's rule
    # is on the right.
    heading = card.get_by_role("heading").first.evaluate(
        "h => { const r = document.createRange(); r.selectNodeContents(h);"
        " const b = r.getBoundingClientRect();"
        " return {left: b.left, right: b.right}; }")
    assert box["x"] + box["width"] - heading["right"] < 24 < heading["left"] - box["x"]
    contact = card.locator("[part~=contact]").first
    assert contact.evaluate("c => getComputedStyle(c).borderRightWidth") == "3px"
    assert contact.evaluate("c => getComputedStyle(c).borderLeftWidth") == "0px"
    # Numbers keep their own direction inside right-to-left text: "+49 2551 692743", not "692743 2551 49+".
    tel = contact.locator("a[href^='tel:']")
    assert tel.evaluate("a => getComputedStyle(a).direction") == "ltr" and tel.inner_text().startswith("+49")
    assert "نتيجة" in page.locator(f"{WIDGET} [role=status]").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-ar.png"))  # the first screenful, as a phone shows it


@pytest.mark.parametrize("lang", LANGS)
def test_no_accessibility_violations_in_each_language_in_map_view_under_a_lone_h1(
    page: Any, api_url: str, lang: str
) -> None:
    host_page(page, api_url, f'lang="{lang}" view="map"')
    page.locator(f"{POINTS}[data-id='05566']").click()
    page.locator(f"{WIDGET} [part~=peers] .card").first.wait_for()
    page.locator(f"{WIDGET} line.ln").first.wait_for()
    # Every heading has text, and the widget's start at h2 below the page's h1.
    headings = page.locator(f"{WIDGET} h1, {WIDGET} h2, {WIDGET} h3, {WIDGET} h4, {WIDGET} h5, {WIDGET} h6")
    assert all(t.strip() for t in headings.all_inner_texts())
    assert page.locator(f"{CARDS} h2").count() == page.locator(CARDS).count()
    assert axe(page) == []


def test_heading_level_follows_the_host(page: Any, api_url: str) -> None:
    host_page(page, api_url, 'heading-level="3" q="steinf"')
    card = page.locator(CARDS).first
    assert card.locator("h3").first.inner_text() == "Kreis Steinfurt"
    assert card.locator("[part~=office] h4").count() >= 1


def test_dates_are_said_as_people_say_them(page: Any, api_url: str) -> None:
    host_page(page, api_url, 'q="heinsberg"')
    card = page.locator(f"{CARDS}[data-id='05370']")
    assert "dabei seit Mai 2019" in card.inner_text()
    page.locator(WIDGET).evaluate("el => el.setAttribute('lang', 'en')")
    page.wait_for_function(
        "() => document.querySelector('gk-directory').shadowRoot.textContent"
        ".includes('taking part since May 2019')")
    assert "2019-05" not in card.inner_text()


def test_empty_result_names_the_active_filters_and_clears_them(page: Any, api_url: str) -> None:
    host_page(page, api_url)
    widget = page.locator(WIDGET)
    widget.evaluate("el => { el.setAttribute('kind', 'Kreis'); el.setAttribute('q', 'Essen'); }")
    empty = page.locator(f"{WIDGET} [part~=empty]")
    empty.wait_for()
    assert "Suche: Essen" in empty.inner_text() and "Art: Kreis" in empty.inner_text()
    empty.get_by_role("button", name="Filter zurücksetzen").click()
    page.locator(CARDS).nth(5).wait_for()
    assert widget.get_attribute("kind") is None and widget.get_attribute("q") is None
    assert empty.is_hidden()
