"""Invitations, "Alles korrekt" and the admins' overview, in chromium against the live local API.

`invite` writes the sheet against the live service's table; two of its links are opened
and each signs in to its own municipality. A coordinator confirms with "Alles korrekt",
the API's confirmed_at moves and the embedded widget shows the new "Stand"; a year on
(the browser's clock moved) the card is dimmed and says so. An admin sees the overview
table, sorts it, and opens a municipality from it. axe-core checks every new view.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from admin.cli import cli
from admin.context import Backend
from admin.invitations import live_tokens
from chalicelib import bootstrap
from tests.browser.test_edit_page import (  # noqa: F401 - `watched` and `steinfurt` are fixtures
    STEINFURT,
    _token,
    axe,
    sign_in,
    steinfurt,
    watched,
    with_axe,
)

MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
             "Oktober", "November", "Dezember")


def _public(api_url: str, path: str) -> Any:
    request = urllib.request.Request(f"{api_url}{path}", headers={"Cache-Control": "no-cache"})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def _stand(moment: datetime) -> str:
    return f"Stand: {MONTHS_DE[moment.month - 1]} {moment.year}"


@pytest.mark.usefixtures("watched", "steinfurt")
def test_invitation_links_open_the_editing_page_signed_in(
    browser: Any, page: Any, api_url: str, live_api: Any, moto_endpoint: str, tmp_path: Path
) -> None:
    # Other browser tests sign in to Steinfurt with tokens of their own; `invite` leaves a
    # municipality with a live token alone, so this test starts from none.
    tokens = bootstrap.tokens()
    for municipality_id in ("05566", "05370"):
        for record in live_tokens(tokens.list(), municipality_id, datetime.now(UTC)):
            tokens.revoke(record.token_id)
    sheet = tmp_path / "invitations.csv"
    result = CliRunner().invoke(
        cli,
        ["invite", "-o", str(sheet), "--only", "05566,05370", "--api-url", api_url,
         "--endpoint-url", moto_endpoint, "--table", live_api.store.table_name],
        obj=Backend(environ={}, local_service=lambda: None),
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert {r["municipality"] for r in rows} == {"05566", "05370"}
    for row in rows:
        tab = page if row is rows[0] else browser.new_context(locale="de-DE").new_page()
        with_axe(tab)
        tab.goto(row["sign_in_link"])
        tab.get_by_role("heading", level=1, name=row["municipality_name"]).wait_for()
        assert f"Kommune {row['municipality']}" in tab.locator("header").inner_text()
        assert tab.url == f"{api_url}/edit"  # the token left the address bar
        tab.get_by_role("button", name="Alles korrekt").wait_for()
        assert axe(tab) == []
        if tab is not page:
            tab.context.close()
    heinsberg = next(r for r in rows if r["municipality"] == "05370")
    assert heinsberg["contact_email"] == "marco.klever@kreis-heinsberg.de"


@pytest.mark.usefixtures("watched", "steinfurt")
def test_alles_korrekt_moves_confirmed_at_and_the_widget_shows_the_new_stand(
    browser: Any, page: Any, api_url: str
) -> None:
    before = _public(api_url, f"/municipalities/{STEINFURT}")["confirmed_at"]
    sign_in(page, api_url, _token(f"municipality:{STEINFURT}", "KI Kreis Steinfurt"))
    page.get_by_role("heading", name="Stimmt alles?").wait_for()
    assert axe(page) == []

    page.get_by_role("button", name="Alles korrekt").click()

    page.locator("#c-note", has_text="Danke – bestätigt.").wait_for()
    assert page.locator("#c-state").inner_text().startswith("Zuletzt bestätigt")
    after = _public(api_url, f"/municipalities/{STEINFURT}")["confirmed_at"]
    assert after is not None and after != before
    confirmed = datetime.fromisoformat(after)
    assert abs(confirmed - datetime.now(UTC)) < timedelta(minutes=1)
    stand = page.locator(".preview gk-directory [part~=checked]")
    stand.filter(has_text=_stand(confirmed)).wait_for()
    assert "veraltet" not in stand.inner_text()
    assert axe(page) == []

    # Thirteen months on, the same card is dimmed and says the details may be out of date.
    later = browser.new_context(locale="de-DE")
    tab = later.new_page()
    tab.clock.install(time=confirmed + timedelta(days=400))
    with_axe(tab)
    tab.goto(f"{api_url}/demo")
    tab.locator("gk-directory [part~=card]").first.wait_for()
    tab.evaluate("document.querySelector('gk-directory').setAttribute('q', 'Kreis Steinfurt')")
    card = tab.locator("gk-directory [part~=card]").filter(has_text="Kreis Steinfurt").first
    card.wait_for()
    assert "stale" in (card.get_attribute("part") or "")
    assert f"{_stand(confirmed)} – Angaben möglicherweise veraltet" in card.inner_text()
    # the demo page as test_widget.py checks it: its own heading order (h1, then the cards' h3) aside
    found = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    assert [v["id"] for v in found if v["impact"] in ("serious", "critical")] == []
    later.close()


@pytest.mark.usefixtures("watched", "steinfurt")
def test_an_admin_sees_the_overview_sorts_it_and_opens_a_municipality(page: Any, api_url: str) -> None:
    page.goto(f"{api_url}/edit#token={_token('admin', 'Initiative')}")
    table = page.locator("table.report-table")
    table.wait_for()
    assert axe(page) == []
    rows = table.locator("tbody tr")
    names = rows.locator("th").all_inner_texts()
    assert len(names) == _public(api_url, "/municipalities?limit=1")["total"]
    first = rows.first.locator("td").last.inner_text()
    assert first.startswith("Kontaktstelle")  # those without any office come first
    attention = table.locator("tbody tr.attention").count()
    assert any("Stadt Eschweiler" in n for n in names[:attention]), (attention, names[:8])

    page.get_by_role("button", name="Kommune – Nach „Kommune“ sortieren").click()
    header = table.locator("thead th").first
    assert header.get_attribute("aria-sort") == "ascending"
    sorted_names = [n.rsplit(" ", 1)[0] for n in rows.locator("th").all_inner_texts()]
    assert sorted_names != [n.rsplit(" ", 1)[0] for n in names]  # not the attention order any more
    expected = sorted(sorted_names, key=str.casefold)
    assert (sorted_names[0], sorted_names[-1]) == (expected[0], expected[-1])
    page.get_by_role("button", name="Kommune – Nach „Kommune“ sortieren").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert axe(page) == []

    rows.filter(has_text="Kreis Heinsberg").get_by_role("button", name="Kreis Heinsberg").click()
    page.get_by_role("heading", level=1, name="Kreis Heinsberg").wait_for()
    page.locator("li.contact", has_text="Marco Klever").first.wait_for()
    page.get_by_role("button", name="Zur Übersicht").click()
    table.wait_for()
