"""The <gk-directory> widget in a real browser against the live API (Chalice local on moto)."""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import ARTIFACTS, AXE, EVENT_RECORDER

WIDGET = "gk-directory"
SEARCH = f"{WIDGET} input[type=search]"
CARDS = f"{WIDGET} [part~=results] > .card"
STATUS = f"{WIDGET} [role=status]"
ALERT = f"{WIDGET} [role=alert]"


def events(page: Any, type_: str) -> list[dict[str, Any]]:
    return [e for e in page.evaluate("window.__events") if e["type"] == type_]


def search(page: Any, text: str) -> None:
    """Type like a person and wait until the widget reported results for exactly this query."""
    before = len(events(page, "results"))
    page.locator(SEARCH).fill(text)
    page.wait_for_function(
        "([n, q]) => window.__events.filter(e => e.type === 'results').slice(n)"
        ".some(e => (e.detail.query.q || '') === q)",
        arg=[before, text],
    )


def card(page: Any, name: str) -> Any:
    return page.locator(CARDS).filter(has=page.get_by_role("heading", name=name, exact=True))


def last_results(page: Any) -> dict[str, Any]:
    detail: dict[str, Any] = events(page, "results")[-1]["detail"]
    return detail


def test_search_finds_stadt_muenster(demo: Any) -> None:
    search(demo, "münster")
    muenster = card(demo, "Stadt Münster")
    muenster.wait_for()
    assert "kreisfreie Stadt" in muenster.inner_text()
    total = last_results(demo)["total"]
    assert total >= 1
    noun = "Ergebnis" if total == 1 else "Ergebnisse"
    assert demo.locator(STATUS).inner_text() == f"{total} {noun} für „münster“"


def test_search_shows_office_and_contact_with_links(demo: Any) -> None:
    search(demo, "steinf")
    steinfurt = card(demo, "Kreis Steinfurt")
    steinfurt.wait_for()
    office = steinfurt.locator("[part~=office]", has_text="Kommunales Integrationszentrum Kreis Steinfurt")
    assert office.count() == 1
    contact = office.locator("[part~=contact]", has_text="Stephanie Hieronimus")
    assert contact.count() == 1
    # The E.164 form dials from any phone; the display form is what people read.
    tel = contact.locator("a[href^='tel:']")
    assert tel.get_attribute("href") == "tel:+492551692743"
    assert re.fullmatch(r"\+49 2551 69-?2743|\+49 2551 692743", tel.inner_text())
    mailto = contact.locator("a[href^='mailto:']").get_attribute("href")
    assert mailto == "mailto:stephanie.hieronimus@kreis-steinfurt.de"
    assert "Fax" in contact.inner_text()


def test_filters_narrow_the_results_and_are_reflected_as_attributes(demo: Any) -> None:
    host = demo.locator(WIDGET)
    before = len(events(demo, "results"))
    demo.get_by_label("Art").select_option("Kreis")
    demo.wait_for_function("n => window.__events.filter(e => e.type === 'results').length > n", arg=before)
    result = last_results(demo)
    assert result["query"] == {"kind": "Kreis"}
    assert result["items"] and all(m["kind"] == "Kreis" for m in result["items"])
    assert host.get_attribute("kind") == "Kreis"
    assert demo.locator(CARDS).count() == len(result["items"])

    before = len(events(demo, "results"))
    demo.get_by_label("Regierungsbezirk").select_option("Münster")
    demo.wait_for_function("n => window.__events.filter(e => e.type === 'results').length > n", arg=before)
    result = last_results(demo)
    assert result["query"] == {"kind": "Kreis", "regierungsbezirk": "Münster"}
    assert {m["id"] for m in result["items"]} >= {"05566"}
    assert all(m["regierungsbezirk"] == "Münster" and m["kind"] == "Kreis" for m in result["items"])

    # The attributes are the source of truth: a host page changing one re-queries and updates the select.
    before = len(events(demo, "results"))
    host.evaluate("el => el.removeAttribute('kind')")
    demo.wait_for_function("n => window.__events.filter(e => e.type === 'results').length > n", arg=before)
    assert last_results(demo)["query"] == {"regierungsbezirk": "Münster"}
    assert demo.get_by_label("Art").input_value() == ""
    card(demo, "Stadt Münster").wait_for()


def test_vcard_link_serves_a_vcard(demo: Any) -> None:
    search(demo, "steinf")
    contact = card(demo, "Kreis Steinfurt").locator("[part~=contact]", has_text="Stephanie Hieronimus")
    link = contact.locator("a[part~=vcard]")
    href = link.get_attribute("href")
    assert href and href.endswith("/vcard")
    response = demo.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/vcard")
    text = response.text()
    assert text.startswith("BEGIN:VCARD")
    assert re.search(r"^FN[;:](?:.*:)?Stephanie Hieronimus\r?$", text, re.MULTILINE)
    assert text.rstrip().endswith("END:VCARD")


def _tab_until(page: Any, predicate: str, limit: int = 40) -> None:
    """Press Tab until the deepest focused element satisfies `predicate` (a JS function of it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"({predicate})(window.__deepFocus())"):
            return
    pytest.fail(f"keyboard focus never reached an element matching {predicate}")


DEEP_FOCUS = """
window.__deepFocus = () => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return el;
};
"""


def test_keyboard_alone_reaches_search_results_and_downloads_a_vcard(page: Any, api_url: str) -> None:
    page.add_init_script(EVENT_RECORDER + DEEP_FOCUS)
    page.goto(f"{api_url}/demo")
    page.locator(CARDS).first.wait_for()

    _tab_until(page, "el => el.matches('input[type=search]')")
    # Focus is visible: the focused control draws an outline.
    assert page.evaluate("getComputedStyle(window.__deepFocus()).outlineStyle") != "none"
    before = len(events(page, "results"))
    page.keyboard.type("steinf")
    page.wait_for_function(
        "n => window.__events.filter(e => e.type === 'results').slice(n)"
        ".some(e => e.detail.query.q === 'steinf')",
        arg=before,
    )

    _tab_until(page, "el => el.matches('a[part~=vcard]') && el.closest('[part~=contact]')")
    assert page.evaluate("getComputedStyle(window.__deepFocus()).outlineStyle") != "none"
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    vcard = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert vcard.startswith("BEGIN:VCARD") and "Hieronimus" in vcard
    selected = events(page, "select")[-1]
    assert selected["detail"]["action"] == "vcard"
    assert selected["detail"]["contact"]["name"] == "Stephanie Hieronimus"
    assert selected["detail"]["municipality"]["id"] == "05566"
    assert selected["bubbles"] and selected["composed"] and selected["target"] == WIDGET

    # Enter on "nearby municipalities" shows the peers and moves focus to their heading.
    _tab_until(page, "el => el.matches('button[part~=peers-button]')")
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__deepFocus().matches('[part~=peers] h2')")
    assert page.evaluate("window.__deepFocus().textContent") == "In der Nähe von Kreis Steinfurt"
    peers = events(page, "peers")[-1]["detail"]
    assert peers["municipality"]["id"] == "05566" and peers["items"]
    assert page.locator(WIDGET).get_attribute("near") == "05566"


XSS_NAME = 'Teststadt <img src=x onerror="window.__xss=1">'
XSS_PERSON = '<img src=x onerror="window.__xss=2">'


@pytest.fixture
def xss_municipality(live_api: Any, api_url: str) -> Iterator[str]:
    """An obviously synthetic municipality whose names carry markup; removed afterwards."""
    from chalicelib.write.models import Municipality
    from chalicelib.write.writer import DirectoryWriter

    writer = DirectoryWriter(live_api.store)
    record = Municipality.model_validate({
        "id": "05999001",
        "name": XSS_NAME,
        "kind": "Gemeinde",
        "regierungsbezirk": "Köln",
        "seat": "Teststadt",
        "coordinates": {"lat": 50.9, "lon": 6.9},
        "participation": {"status": "reported"},
        "offices": [{
            "id": "xss-test-office",
            "name": "Testamt <b>fett</b>",
            "contacts": [{
                "id": "c-xss-test-contact",
                "given_name": XSS_PERSON,
                "family_name": "Beispiel",
                "email": "test@example.org",
                "public": True,
            }],
        }],
    })
    writer.create(record)
    # The API reloads its snapshot when the revision moves; wait until the record is served.
    deadline = time.monotonic() + 15
    while True:
        try:
            with urllib.request.urlopen(f"{api_url}/municipalities/05999001"):
                break
        except urllib.error.HTTPError as error:
            if error.code != 404 or time.monotonic() > deadline:
                raise
        time.sleep(0.25)
    yield record.name
    writer.delete(record.id)


def test_api_text_is_rendered_as_text_never_as_markup(demo: Any, xss_municipality: str) -> None:
    search(demo, "Teststadt")
    assert any(m["id"] == "05999001" for m in last_results(demo)["items"])
    demo.wait_for_timeout(300)  # an injected <img src=x> would have fired onerror by now
    assert demo.evaluate("window.__xss") is None
    assert demo.locator(f"{WIDGET} img, {WIDGET} b").count() == 0, "no element was made from the data"
    found = card(demo, XSS_NAME)
    assert found.count() == 1, "the name shows literally, markup and all"
    assert XSS_PERSON + " Beispiel" in found.inner_text()
    assert "Testamt <b>fett</b>" in found.inner_text()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_api_shows_a_clear_message_and_recovers(demo: Any) -> None:
    host = demo.locator(WIDGET)
    dead = f"http://127.0.0.1:{_closed_port()}"
    host.evaluate("(el, api) => el.setAttribute('api', api)", dead)
    alert = demo.locator(ALERT)
    alert.wait_for()
    assert "nicht erreichbar" in alert.inner_text()
    assert demo.locator(CARDS).count() == 0, "no stale results next to the error"
    error = events(demo, "error")[-1]
    assert error["detail"]["status"] == 0 and error["detail"]["url"].startswith(dead)
    assert error["bubbles"] and error["composed"]

    # Back to the working API: results return and the message goes away.
    host.evaluate("el => el.removeAttribute('api')")
    demo.locator(CARDS).first.wait_for()
    assert alert.is_hidden()


def test_api_error_answer_is_shown_with_retry(demo: Any) -> None:
    failing = {"error": {"code": "directory_unavailable", "message": "Directory temporarily unavailable.",
                         "details": {}}}
    demo.route("**/municipalities?*", lambda route: route.fulfill(
        status=503, content_type="application/json", body=json.dumps(failing),
        headers={"Access-Control-Allow-Origin": "*"}))
    demo.locator(SEARCH).fill("köln")
    alert = demo.locator(ALERT)
    alert.wait_for()
    # The page's language only: the API's own English words go to the event, not on the page.
    assert alert.inner_text().startswith("Das Verzeichnis hat mit einem Fehler geantwortet (HTTP 503).")
    assert "Directory temporarily unavailable." not in alert.inner_text()
    error = events(demo, "error")[-1]["detail"]
    assert error["status"] == 503 and error["detail"] == "Directory temporarily unavailable."

    demo.unroute("**/municipalities?*")
    alert.get_by_role("button", name="Erneut versuchen").click()
    demo.locator(CARDS).first.wait_for()
    assert alert.is_hidden()
    assert last_results(demo)["query"] == {"q": "köln"}


def _axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


def test_no_serious_accessibility_violations(demo: Any) -> None:
    search(demo, "steinf")
    card(demo, "Kreis Steinfurt").get_by_role("button").click()
    demo.locator(f"{WIDGET} [part~=peers] .card").first.wait_for()
    # axe-core walks open shadow roots, so the widget's inside is checked, not just the host.
    assert _axe(demo) == []

    dead = f"http://127.0.0.1:{_closed_port()}"
    demo.locator(WIDGET).evaluate("(el, api) => el.setAttribute('api', api)", dead)
    demo.locator(ALERT).wait_for()
    assert _axe(demo) == []


def test_english_labels(demo: Any) -> None:
    demo.locator(WIDGET).evaluate("el => el.setAttribute('lang', 'en')")
    demo.get_by_label("Search the directory").wait_for()  # the English table is fetched when first asked for
    assert demo.get_by_label("Search the directory").count() == 1
    assert demo.get_by_label("Administrative region").count() == 1
    search(demo, "steinf")
    assert demo.locator(STATUS).inner_text() == "1 result for “steinf”"
    assert "district" in card(demo, "Kreis Steinfurt").locator(".m").first.inner_text()


@pytest.mark.parametrize("width", [320, 1280])
def test_layout_fits_and_screenshot(browser: Any, api_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE")
    page = context.new_page()
    try:
        page.add_init_script(EVENT_RECORDER)
        page.goto(f"{api_url}/demo")
        page.locator(CARDS).first.wait_for()
        search(page, "steinf")
        card(page, "Kreis Steinfurt").wait_for()
        # Works from 320 px: nothing forces the page to scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(WIDGET).screenshot(path=str(ARTIFACTS / f"widget-{width}.png"))
    finally:
        context.close()


def test_two_line_embed_on_another_origin(page: Any, api_url: str) -> None:
    """On another site: CORS carries it; no cookies, no preflights, no third parties, no double queries."""
    # Another origin (localhost vs 127.0.0.1). Chromium asks before a page may reach loopback
    # (Local Network Access); a deployed, public API never meets that, so the test grants it.
    host_page = "http://localhost:{}/kontakte".format(api_url.rsplit(":", 1)[1])
    page.context.grant_permissions(["local-network-access"])
    snippet = (f'<script type="module" src="{api_url}/widget.js"></script>\n'
               '<gk-directory near="05566"></gk-directory>')
    page.route(host_page, lambda route: route.fulfill(
        content_type="text/html; charset=utf-8",
        body=f'<!doctype html><html lang="de"><title>Kontakte</title><main>{snippet}</main></html>'))
    requests: list[Any] = []
    page.on("request", lambda r: requests.append(r))
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(host_page)
    page.locator(CARDS).first.wait_for()
    page.locator(f"{WIDGET} [part~=peers] .card").first.wait_for()

    api_requests = [r for r in requests if r.url != host_page]
    assert api_requests
    assert all(r.url.startswith(api_url + "/") for r in api_requests), [r.url for r in requests]
    assert not [r for r in api_requests if r.method == "OPTIONS"], "simple GETs need no CORS preflight"
    # Starting up costs one request each (an upgrade must not query twice, cancelling the first).
    paths = sorted(r.url.removeprefix(api_url) for r in api_requests)
    assert paths == [
        "/", "/municipalities", "/municipalities/05566/peers?limit=5", "/widget-i18n/de.json", "/widget.js"]
    assert failed == []
    for r in api_requests:
        headers = r.all_headers()
        assert "cookie" not in headers
        # A fresh context has an empty cache, so any If-None-Match would have been set by the widget.
        assert "if-none-match" not in headers


def test_author_role_and_tabindex_survive_and_disconnect_stops_all_work(page: Any, api_url: str) -> None:
    page.add_init_script(EVENT_RECORDER)
    page.goto(f"{api_url}/demo")
    page.locator(CARDS).first.wait_for()
    page.evaluate(
        """() => {
          const el = document.createElement('gk-directory');
          el.id = 'second';
          el.setAttribute('role', 'region');
          el.setAttribute('tabindex', '-1');
          el.setAttribute('aria-label', 'Verzeichnis');
          document.body.append(el);
        }"""
    )
    second = page.locator("#second")
    second.locator(".card").first.wait_for()
    assert second.get_attribute("role") == "region" and second.get_attribute("tabindex") == "-1"

    # A search still in flight when the element leaves the page is aborted, not left to finish.
    held: list[Any] = []
    page.route("**/municipalities?q=aachen", lambda route: held.append(route))  # never answered
    with page.expect_request("**/municipalities?q=aachen"):
        second.evaluate("el => el.setAttribute('q', 'aachen')")
    with page.expect_event("requestfailed", lambda r: r.url.endswith("?q=aachen")):
        second.evaluate("el => { window.__second = el; el.remove(); }")

    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.evaluate(
        """() => {
          const el = window.__second;
          el.setAttribute('q', 'münster');  // detached: no query
          const input = el.shadowRoot.querySelector('input');
          input.value = 'köln';
          input.dispatchEvent(new Event('input'));  // the listener is gone with the connection
        }"""
    )
    page.wait_for_timeout(600)  # longer than the search debounce
    assert requests == []
    # A listener left behind would have copied the typed text into the q attribute by now.
    assert page.evaluate("window.__second.getAttribute('q')") == "münster"


def test_load_more_follows_the_next_link(page: Any, api_url: str) -> None:
    # The shipped data fits one page of 100, so that page is cut to two items here, with a next
    # link of the API's shape; the second page is the rest of the API's real answer.
    everything = f"{api_url}/municipalities?limit=100"

    def first_page(route: Any) -> None:
        answer = route.fetch(url=everything)
        body = answer.json()
        body["items"], body["next_cursor"] = body["items"][:2], "c2"
        body["links"]["next"] = "/municipalities?cursor=c2"
        route.fulfill(response=answer, json=body)

    def second_page(route: Any) -> None:
        answer = route.fetch(url=everything)
        body = answer.json()
        assert body["next_cursor"] is None, "the shipped data outgrew one page of 100"
        body["items"] = body["items"][2:]
        route.fulfill(response=answer, json=body)

    page.route(f"{api_url}/municipalities?limit=100", first_page)  # the demo shows the map: all at once
    page.route(f"{api_url}/municipalities?cursor=c2", second_page)
    page.add_init_script(EVENT_RECORDER)
    page.goto(f"{api_url}/demo")
    page.locator(CARDS).first.wait_for()
    assert page.locator(CARDS).count() == 2
    total = last_results(page)["total"]
    assert total > 2
    more = page.get_by_role("button", name="Weitere laden")
    more.click()
    page.wait_for_function(
        "n => document.querySelector('gk-directory').shadowRoot"
        ".querySelectorAll('[part~=results] > .card').length === n", arg=total)
    assert more.is_hidden(), "no next link on the last page"
    assert page.locator(STATUS).inner_text() == f"{total} Ergebnisse"
