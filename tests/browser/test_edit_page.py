"""The editing page (GET /edit) in a real browser against the live API (Chalice local on moto).

A coordinator of Kreis Steinfurt signs in through the link the admin sends, keeps a contact
person current, meets a colleague's concurrent edit, and deletes the person again — while the
token stays out of every URL and log, the Content-Security-Policy holds, and axe-core finds
nothing on any view. Every test leaves Kreis Steinfurt as the shipped data has it.
"""

from __future__ import annotations

import json
import logging
import re
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.domain.edits import Preconditions
from chalicelib.domain.principal import Principal
from tests.support.browser import ARTIFACTS, AXE

STEINFURT = "05566"
OFFICE = "ki-kreis-steinfurt"
HIERONIMUS = "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"
# Clearly synthetic people (Loriot's), with an umlaut, an ß and a diaeresis in the name.
GIVEN, FAMILY = "Zoë", "Müller-Lüdenscheidt"
NAME = f"{GIVEN} {FAMILY}"
JOBCENTER = "Jobcenter Kreis Steinfurt – Team U27"  # a synthetic office
PHONE, FAX, NEW_PHONE = "02551 69-1234", "02551 69-1299", "02551 69-4321"
STATUS = "#status"  # the page's own live region (the widget has one as well)
API_REFUSAL = re.compile(r"^error: Failed to load resource: the server responded with a status of 4\d\d ")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)

# Records CSP violations the way a site's reporting would see them.
CSP_RECORDER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push({directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample});
});
"""


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def steinfurt(live_api: Any) -> Iterator[None]:
    """Kreis Steinfurt as shipped, before and after: what a test added is deleted again."""
    # The live server runs in this process on the live_api's table; bootstrap must point there.
    assert bootstrap.settings().table_name == live_api.store.table_name
    yield
    admin = Principal("cleanup", "test cleanup", "admin")
    editor = bootstrap.editor()
    record = editor.read(admin, "municipality", STEINFURT)
    for office in record["offices"]:
        if office["id"] != OFFICE:
            editor.delete_office(admin, office["id"], Preconditions("*"))
            continue
        for contact in office["contacts"]:
            if contact["id"] != HIERONIMUS:
                editor.delete_contact(admin, contact["id"], Preconditions("*"))
    bootstrap.directory().invalidate()


def _token(scope: str, label: str) -> str:
    token, _ = bootstrap.tokens().create(scope, f"{label} {uuid.uuid4().hex[:6]}")
    return token


@pytest.fixture
def coordinator(steinfurt: None) -> str:
    """A token for Kreis Steinfurt's coordinating office, as the admin CLI would create it."""
    return _token(f"municipality:{STEINFURT}", "KI Kreis Steinfurt")


@pytest.fixture
def watched(page: Any) -> Iterator[dict[str, list[Any]]]:
    """The page, with every request, console message and CSP violation recorded."""
    seen: dict[str, list[Any]] = {"requests": [], "console": []}
    page.context.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}"))
    page.add_init_script(CSP_RECORDER)
    with_axe(page)
    yield seen
    assert page.evaluate("window.__csp || []") == [], "no Content-Security-Policy violations"
    assert not [m for m in seen["console"] if "Content Security Policy" in m]
    # Chromium logs every 4xx a fetch receives; the tests provoke those on purpose. Nothing else.
    assert not [m for m in seen["console"] if m.startswith("error") and not API_REFUSAL.search(m)]


# -- helpers -----------------------------------------------------------------------------------


def sign_in(page: Any, api_url: str, token: str, heading: str = "Kreis Steinfurt") -> None:
    page.goto(f"{api_url}/edit#token={token}")
    page.get_by_role("heading", level=1, name=heading).wait_for()


def contact_item(page: Any, name: str = NAME) -> Any:
    return page.locator("li.contact").filter(has=page.get_by_role("heading", name=name, exact=True))


def in_widget(page: Any, name: str = NAME) -> Any:
    # Playwright's CSS pierces the widget's open shadow root.
    return page.locator(".preview gk-directory [part~=contact]").filter(has_text=name)


def wait_until(page: Any, expression: str, timeout: float = 10.0) -> None:
    """Poll a JavaScript expression until it is true.

    Not page.wait_for_function: its polling evaluates strings inside the page, which the
    page's CSP (no 'unsafe-eval') refuses — correctly. page.evaluate goes through DevTools.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            pytest.fail(f"never true: {expression}")
        page.wait_for_timeout(50)


def with_axe(page: Any) -> None:
    # As an init script: the page's CSP rightly refuses an injected <script> element.
    page.add_init_script(path=str(AXE))


def axe(page: Any) -> list[dict[str, Any]]:
    """Every axe-core violation on the page as it is now (the widget's shadow DOM included).

    The preview widget's labels arrive by their own request: checked once they are there.
    """
    page.wait_for_function(
        "() => [...document.querySelectorAll('gk-directory')].every((w) => w.shadowRoot && "
        "[...w.shadowRoot.querySelectorAll('[data-view]')].every((b) => b.textContent))"
    )
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


def add_contact(page: Any, phone: str = PHONE, public: bool = True) -> None:
    page.get_by_role("button", name="Kontaktperson hinzufügen").click()
    form = page.locator("form.entry")
    form.get_by_label("Vorname").fill(GIVEN)
    form.get_by_label("Nachname").fill(FAMILY)
    form.get_by_label("Funktion").fill("Koordination Ausbildung")
    form.get_by_label("Telefon").fill(phone)
    form.get_by_label("Fax").fill(FAX)
    form.get_by_label("E-Mail").fill("zoe.mueller@example.org")
    form.get_by_label("Sprachen").fill("de, ar")
    form.get_by_label("Themen").fill("Arbeit, Ausbildung")
    if public:
        form.get_by_label("Öffentlich zeigen").check()
    form.get_by_role("button", name="Speichern").click()


def editable(token: str, api_url: str, path: str) -> Any:
    request = urllib.request.Request(f"{api_url}{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read())


def added_contact(token: str, api_url: str) -> dict[str, Any]:
    office = editable(token, api_url, f"/offices/{OFFICE}")
    found: dict[str, Any] = next(c for c in office["contacts"] if c["family_name"] == FAMILY)
    return found


def vcard_of(page: Any, item: Any) -> str:
    with page.expect_download() as download:
        item.get_by_role("link", name=f"vCard herunterladen {NAME}").click()
    return Path(download.value.path()).read_text(encoding="utf-8")


# -- the coordinator's story ---------------------------------------------------------------------


def test_sign_in_link_keeps_the_token_out_of_urls_and_logs(
    page: Any, watched: dict[str, list[Any]], api_url: str, coordinator: str,
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    response = page.goto(f"{api_url}/edit#token={coordinator}")
    headers = response.headers
    assert headers["content-security-policy"] == CSP
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"

    page.get_by_role("heading", level=1, name="Kreis Steinfurt").wait_for()
    assert page.url == f"{api_url}/edit", "the token left the address bar"
    assert page.evaluate("sessionStorage.getItem('gk-edit-token')") == coordinator
    assert page.evaluate("localStorage.length") == 0 and page.evaluate("document.cookie") == ""
    assert "KI Kreis Steinfurt" in page.locator("header").inner_text()
    contact_item(page, "Stephanie Hieronimus").wait_for()
    in_widget(page, "Stephanie Hieronimus").wait_for()
    # The widget kept its styles under style-src 'self': constructed stylesheets are not inline styles.
    border = page.locator(".preview gk-directory [part~=contact]").first.evaluate(
        "el => getComputedStyle(el).borderLeftStyle")
    assert border == "solid"
    assert axe(page) == []

    # A reload keeps the session (sessionStorage), and still no token in any URL.
    page.reload()
    page.get_by_role("heading", level=1, name="Kreis Steinfurt").wait_for()

    page.get_by_role("button", name="Abmelden").click()
    page.get_by_label("Zugangsschlüssel").wait_for()
    assert page.evaluate("sessionStorage.length") == 0
    page.locator(STATUS, has_text="Sie sind abgemeldet.").wait_for()
    assert axe(page) == []

    requests = watched["requests"]
    assert requests and all(url.startswith(api_url + "/") for url in requests), "no third parties"
    assert not [url for url in requests if coordinator in url or "token" in url]
    server_output = capfd.readouterr()
    assert "GET /edit/session" in server_output.err, "the server's request log was captured"
    assert coordinator not in server_output.out + server_output.err
    assert coordinator not in caplog.text
    assert coordinator[3:] not in server_output.err + caplog.text


def test_pasted_token_or_link_signs_in_and_a_bad_one_is_explained(
    page: Any, watched: dict[str, list[Any]], api_url: str, coordinator: str
) -> None:
    page.goto(f"{api_url}/edit")
    field = page.get_by_label("Zugangsschlüssel")
    field.fill("gk_nonsense")
    page.get_by_role("button", name="Anmelden").click()
    alert = page.get_by_role("alert")
    assert "kein gültiger Zugangsschlüssel" in alert.inner_text()
    assert "token-msg" in (page.get_by_label("Zugangsschlüssel").get_attribute("aria-describedby") or "")
    assert axe(page) == []

    # Well-formed but unknown (or revoked): the API says 401, the page says so in words.
    page.get_by_label("Zugangsschlüssel").fill("gk_" + "A" * 43)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("alert").get_by_text("Dieser Zugang gilt nicht (mehr)").wait_for()
    assert page.locator(STATUS).inner_text() == "", "the alert speaks for itself"
    assert page.evaluate("sessionStorage.length") == 0

    # The whole link pasted works as well as the token alone.
    page.get_by_label("Zugangsschlüssel").fill(f"https://verzeichnis.example.org/edit#token={coordinator}")
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("heading", level=1, name="Kreis Steinfurt").wait_for()
    assert page.url == f"{api_url}/edit"
    assert not [url for url in watched["requests"] if coordinator in url]


def test_an_unreachable_service_keeps_the_session_and_offers_a_retry(
    page: Any, api_url: str, coordinator: str
) -> None:
    page.route("**/edit/session", lambda route: route.abort("connectionrefused"))
    page.goto(f"{api_url}/edit#token={coordinator}")
    alert = page.get_by_role("alert")
    alert.get_by_text("gerade nicht erreichbar").wait_for()
    assert page.evaluate("sessionStorage.getItem('gk-edit-token')") == coordinator, "the session is kept"
    page.unroute("**/edit/session")
    alert.get_by_role("button", name="Erneut versuchen").click()
    page.get_by_role("heading", level=1, name="Kreis Steinfurt").wait_for()


def test_coordinator_adds_a_contact_sees_it_public_edits_and_deletes_it(
    page: Any, watched: dict[str, list[Any]], api_url: str, coordinator: str
) -> None:
    sign_in(page, api_url, coordinator)
    in_widget(page, "Stephanie Hieronimus").wait_for()  # the public list is in the browser's cache now

    add_contact(page)
    item = contact_item(page)
    item.wait_for()
    assert "öffentlich" in item.inner_text() and "+49 2551 69" in item.inner_text()
    assert page.evaluate("document.activeElement.textContent") == NAME, "focus moved to the new person"
    stored = added_contact(coordinator, api_url)
    assert (stored["given_name"], stored["family_name"], stored["public"]) == (GIVEN, FAMILY, True)
    assert stored["fax"] == "+492551691299" and stored["languages"] == ["de", "ar"]

    # The public widget on the page shows the person at once (the page refreshed the cached answer).
    in_widget(page).wait_for()
    assert "Fax +49 2551 691299" in in_widget(page).inner_text()

    card = vcard_of(page, item)
    assert re.search(r"^FN:Zoë Müller-Lüdenscheidt\r?$", card, re.MULTILINE)
    assert re.search(r"^TEL;TYPE=WORK,FAX:\+49 2551 691299\r?$", card, re.MULTILINE)

    # Edit the phone number.
    item.get_by_role("button", name=f"Bearbeiten {NAME}").click()
    assert axe(page) == []
    page.locator("form.entry").get_by_label("Telefon").fill(NEW_PHONE)
    page.locator("form.entry").get_by_role("button", name="Speichern").click()
    item.get_by_text("Gespeichert.", exact=True).wait_for()
    assert "+49 2551 694321" in item.inner_text()
    assert added_contact(coordinator, api_url)["phone"] == "+492551694321"
    # The downloaded card is the new one, though the old one was cached a moment ago.
    assert "+49 2551 694321" in vcard_of(page, item)
    in_widget(page).filter(has_text="+49 2551 694321").wait_for()

    # Delete: the dialog says what deleting means; Escape keeps the person.
    item.get_by_role("button", name=f"Löschen {NAME}").click()
    dialog = page.get_by_role("dialog", name="Kontaktperson löschen?")
    dialog.wait_for()
    text = dialog.inner_text()
    assert "öffentlichen Verzeichnis" in text and "vCard" in text and NAME in text
    assert page.evaluate("document.activeElement.textContent") == "Abbrechen", "the safe choice has focus"
    assert axe(page) == []
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert item.count() == 1
    assert page.evaluate("document.activeElement.textContent").startswith("Löschen")

    item.get_by_role("button", name=f"Löschen {NAME}").click()
    dialog.get_by_role("button", name="Endgültig löschen").click()
    item.wait_for(state="detached")
    page.locator(STATUS, has_text=f"„{NAME}“ ist gelöscht.").wait_for()
    # The widget no longer shows the person (its answer was refreshed too), and the card is gone.
    in_widget(page, "Stephanie Hieronimus").wait_for()
    in_widget(page).wait_for(state="detached")
    assert page.request.get(f"{api_url}/contacts/{stored['id']}/vcard").status == 404
    assert not [url for url in watched["requests"] if coordinator in url]


def test_a_concurrent_edit_is_merged_three_ways_and_only_fields_both_changed_are_asked(
    browser: Any, page: Any, watched: dict[str, list[Any]], api_url: str, coordinator: str
) -> None:
    sign_in(page, api_url, coordinator)
    add_contact(page)
    item = contact_item(page)
    item.wait_for()
    patches: list[dict[str, Any]] = []
    page.on("request", lambda r: patches.append(json.loads(r.post_data)) if r.method == "PATCH" else None)

    colleague = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    try:
        other = colleague.new_page()
        sign_in(other, api_url, coordinator)

        def colleague_sets(**values: str) -> None:
            """A second person, in their own browser, changes fields of the same contact."""
            other.reload()
            other.get_by_role("heading", level=1, name="Kreis Steinfurt").wait_for()
            contact_item(other).get_by_role("button", name=f"Bearbeiten {NAME}").click()
            for label, value in values.items():
                other.locator("form.entry").get_by_label(label).fill(value)
            other.locator("form.entry").get_by_role("button", name="Speichern").click()
            contact_item(other).get_by_text("Gespeichert.", exact=True).wait_for()

        conflict = page.get_by_role("region", name="Inzwischen geändert")
        form = page.locator("form.entry")

        # 1. I change only the phone; meanwhile the colleague changes the function and the phone.
        item.get_by_role("button", name=f"Bearbeiten {NAME}").click()
        form.get_by_label("Telefon").fill(NEW_PHONE)
        colleague_sets(Funktion="Leitung", Telefon="02551 69-5555")
        form.get_by_role("button", name="Speichern").click()
        conflict.wait_for()
        assert page.evaluate("document.activeElement.textContent") == "Inzwischen geändert"
        assert "KI Kreis Steinfurt" in conflict.inner_text(), "says who changed it"
        choices = {
            group.locator("legend").inner_text(): [o.inner_text() for o in group.locator("label").all()]
            for group in conflict.locator("fieldset").all()
        }
        assert choices == {"Telefon": [f"Ihre Eingabe: {NEW_PHONE}", "Jetzt gespeichert: +492551695555"]}
        assert "Übernommen aus der gespeicherten Fassung: Funktion." in conflict.inner_text()
        assert form.get_by_label("Funktion").input_value() == "Leitung", "their function is in the form"
        assert form.get_by_label("Telefon").input_value() == NEW_PHONE, "my input is still there"
        assert axe(page) == []
        conflict.get_by_role("button", name="Zusammengeführt speichern").click()
        page.get_by_role("alert").get_by_text("Bitte wählen Sie für jedes Feld eine Fassung.").wait_for()
        conflict.get_by_role("radio", name=f"Ihre Eingabe: {NEW_PHONE}").check()
        conflict.get_by_role("button", name="Zusammengeführt speichern").click()
        item.get_by_text("Gespeichert.", exact=True).wait_for()
        stored = added_contact(coordinator, api_url)
        assert (stored["function"], stored["phone"]) == ("Leitung", "+492551694321")
        assert patches == [{"phone": NEW_PHONE}, {"phone": NEW_PHONE}], "only the changed field, twice"

        # 2. Only the colleague touches the function, I the phone: nothing to decide.
        item.get_by_role("button", name=f"Bearbeiten {NAME}").click()
        form.get_by_label("Telefon").fill(PHONE)
        colleague_sets(Funktion="Stellvertretende Leitung")
        form.get_by_role("button", name="Speichern").click()
        conflict.wait_for()
        assert conflict.locator("fieldset").count() == 0
        assert "Keine Ihrer Änderungen widerspricht der gespeicherten Fassung." in conflict.inner_text()
        conflict.get_by_role("button", name="Zusammengeführt speichern").click()
        item.get_by_text("Gespeichert.", exact=True).wait_for()
        stored = added_contact(coordinator, api_url)
        assert (stored["function"], stored["phone"]) == ("Stellvertretende Leitung", "+492551691234")

        # 3. Both change the function; I take the saved version as a whole.
        item.get_by_role("button", name=f"Bearbeiten {NAME}").click()
        form.get_by_label("Funktion").fill("Koordination")
        colleague_sets(Funktion="Leitung")
        form.get_by_role("button", name="Speichern").click()
        conflict.wait_for()
        conflict.get_by_role("button", name="Gespeicherte Fassung übernehmen").click()
        item.get_by_text("Die gespeicherte Fassung wird angezeigt").wait_for()
        assert "Leitung" in item.inner_text()
        assert added_contact(coordinator, api_url)["function"] == "Leitung"
    finally:
        colleague.close()


def api_write(token: str, api_url: str, method: str, path: str, body: Any = None) -> int:
    """A colleague's write, straight to the API."""
    headers = {"Authorization": f"Bearer {token}", "If-Match": "*", "Content-Type": "application/json"}
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{api_url}{path}", method=method, data=data, headers=headers)
    with urllib.request.urlopen(request) as answer:
        return int(answer.status)


def test_an_entry_deleted_or_changed_meanwhile_loses_nothing(
    page: Any, watched: dict[str, list[Any]], api_url: str, coordinator: str
) -> None:
    sign_in(page, api_url, coordinator)
    add_contact(page)
    item = contact_item(page)
    item.wait_for()
    contact_id = added_contact(coordinator, api_url)["id"]

    # Deleted by a colleague while being edited: the input stays, and can become a new person.
    item.get_by_role("button", name=f"Bearbeiten {NAME}").click()
    item.get_by_label("Funktion").fill("Leitung")
    assert api_write(coordinator, api_url, "DELETE", f"/contacts/{contact_id}") == 204
    item.get_by_role("button", name="Speichern").click()
    item.get_by_text("inzwischen gelöscht").wait_for()
    assert item.get_by_label("Funktion").input_value() == "Leitung"
    assert axe(page) == []
    item.get_by_role("button", name="Als neue Kontaktperson anlegen").click()
    item.get_by_text(f"„{NAME}“ ist angelegt.").wait_for()
    recreated = added_contact(coordinator, api_url)
    assert recreated["id"] != contact_id and recreated["function"] == "Leitung"

    # Changed by a colleague, then deleted here: the page shows the new version and asks again.
    changed = api_write(coordinator, api_url, "PATCH", f"/contacts/{recreated['id']}", {"function": "Neu"})
    assert changed == 200
    item.get_by_role("button", name=f"Löschen {NAME}").click()
    page.get_by_role("dialog").get_by_role("button", name="Endgültig löschen").click()
    item.get_by_text("inzwischen geändert").wait_for()
    assert "Neu" in item.inner_text()
    assert added_contact(coordinator, api_url)["id"] == recreated["id"], "not deleted unseen"
    item.get_by_role("button", name=f"Löschen {NAME}").click()
    page.get_by_role("dialog").get_by_role("button", name="Endgültig löschen").click()
    item.wait_for(state="detached")


def test_malformed_phone_number_shows_the_api_message_at_the_phone_field(
    page: Any, watched: dict[str, list[Any]], api_url: str, coordinator: str
) -> None:
    sign_in(page, api_url, coordinator)
    add_contact(page, phone="0800 NICHT-ERREICHBAR-123")
    phone = page.locator("form.entry").get_by_label("Telefon")
    wait_until(page, "document.activeElement?.name === 'phone'")
    assert phone.get_attribute("aria-invalid") == "true"

    # What the API says about this body, field by field.
    body = {"given_name": GIVEN, "family_name": FAMILY, "phone": "0800 NICHT-ERREICHBAR-123"}
    headers = {"Authorization": f"Bearer {coordinator}", "If-Match": "*", "Content-Type": "application/json"}
    request = urllib.request.Request(
        f"{api_url}/offices/{OFFICE}/contacts", method="POST", data=json.dumps(body).encode(), headers=headers
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    errors = json.loads(refused.value.read())["error"]["details"]["errors"]
    assert [e["pointer"] for e in errors] == ["/phone"]
    api_message = errors[0]["message"].removeprefix("Value error, ")

    described = (phone.get_attribute("aria-describedby") or "").split()
    error_text = page.locator(f"[id='{described[0]}']").inner_text()
    assert api_message in error_text
    assert "Keine gültige Telefon- oder Faxnummer." in error_text
    assert "Eine Angabe ist ungültig" in page.locator("form.entry [role=alert]").inner_text()
    assert page.locator("form.entry").get_by_label("Nachname").input_value() == FAMILY, "nothing is lost"
    assert axe(page) == []

    # In English the message is English; the API's own words stay.
    page.get_by_role("button", name="English").click()
    wait_until(page, "document.documentElement.lang === 'en'")  # once the English table has come
    error_text = page.locator("form.entry .error").inner_text()
    assert "Not a valid phone or fax number." in error_text and api_message in error_text
    assert page.locator("form.entry").get_by_label("Phone").input_value() == "0800 NICHT-ERREICHBAR-123"
    assert page.evaluate("document.documentElement.lang") == "en"

    # Corrected, it saves.
    page.locator("form.entry").get_by_label("Phone").fill(PHONE)
    page.locator("form.entry").get_by_role("button", name="Save").click()
    contact_item(page).get_by_text("has been added").wait_for()


def test_letters_in_a_phone_number_are_refused_at_the_phone_field_not_dialled(
    page: Any, watched: dict[str, list[Any]], api_url: str, coordinator: str
) -> None:
    """Issue 16 item 3: "0251 / folgt" was saved as +4925136548 (letters as keypad digits)."""
    sign_in(page, api_url, coordinator)
    add_contact(page, phone="0251 / folgt")
    phone = page.locator("form.entry").get_by_label("Telefon")
    wait_until(page, "document.activeElement?.name === 'phone'")
    assert phone.get_attribute("aria-invalid") == "true"
    described = (phone.get_attribute("aria-describedby") or "").split()
    assert "must not contain letters" in page.locator(f"[id='{described[0]}']").inner_text()
    assert phone.input_value() == "0251 / folgt", "nothing is lost"


def test_an_office_is_added_with_its_address_and_edited(
    page: Any, watched: dict[str, list[Any]], api_url: str, coordinator: str
) -> None:
    sign_in(page, api_url, coordinator)
    page.get_by_role("button", name="Kontaktstelle hinzufügen").click()
    form = page.locator("form.entry")
    assert page.evaluate("document.activeElement.name") == "name"
    form.get_by_label("Name der Stelle").fill(JOBCENTER)
    form.get_by_label("Straße und Hausnummer").fill("Tecklenburger Straße 10")
    form.get_by_label("Postleitzahl").fill("4856")
    form.get_by_label("Website").fill("jobcenter-steinfurt")
    form.get_by_role("button", name="Speichern").click()

    # Two errors, each at its field; the address's pointer (/address/postal_code) finds its field.
    postal = form.get_by_label("Postleitzahl")
    wait_until(page, "document.activeElement?.name === 'address.postal_code'")
    assert postal.get_attribute("aria-invalid") == "true"
    assert form.get_by_label("Ort").get_attribute("aria-invalid") == "true", "a given address needs its town"
    assert form.get_by_label("Website").get_attribute("aria-invalid") == "true"
    postal_error = (postal.get_attribute("aria-describedby") or "").split()[0]
    assert "Fünf Ziffern" in page.locator(f"[id='{postal_error}']").inner_text()
    assert "3 Angaben sind ungültig" in form.get_by_role("alert").inner_text()
    assert axe(page) == []

    postal.fill("48565")
    form.get_by_label("Ort").fill("Steinfurt")
    form.get_by_label("Website").fill("https://jobcenter.example.org/u27")
    form.get_by_role("button", name="Speichern").click()
    heading = page.get_by_role("heading", name=JOBCENTER, exact=True)
    office = page.locator("article.office").filter(has=heading)
    office.get_by_text(f"„{JOBCENTER}“ ist angelegt.").wait_for()
    assert "Tecklenburger Straße 10, 48565 Steinfurt" in office.inner_text()
    assert office.get_by_role("button", name=f"Kontaktperson hinzufügen: {JOBCENTER}").count() == 1

    office.get_by_role("button", name=f"Stelle bearbeiten: {JOBCENTER}").click()
    office.get_by_label("Rolle").fill("Beratung U27")
    office.get_by_role("button", name="Speichern").click()
    office.get_by_text("Gespeichert.", exact=True).wait_for()
    assert "Beratung U27" in office.inner_text()
    in_widget_office = page.locator(".preview gk-directory [part~=office]").filter(has_text="Team U27")
    in_widget_office.filter(has_text="Beratung U27").wait_for()


def test_a_municipality_token_cannot_open_or_change_another_municipality(
    page: Any, watched: dict[str, list[Any]], api_url: str, coordinator: str
) -> None:
    sign_in(page, api_url, coordinator)
    assert page.locator("#pick").count() == 0, "no municipality to choose from"
    statuses = page.evaluate(
        """async () => {
          const auth = {Authorization: 'Bearer ' + sessionStorage.getItem('gk-edit-token')};
          const json = {...auth, 'Content-Type': 'application/json', 'If-Match': '*'};
          const status = async (path, init) => (await fetch(path, {cache: 'no-store', ...init})).status;
          return [
            await status('/municipalities/05974', {headers: auth}),
            await status('/offices/ki-kreis-soest', {headers: auth}),
            await status('/offices/ki-kreis-soest', {method: 'PATCH', headers: json, body: '{"name": "X"}'}),
            await status('/offices/ki-kreis-soest/contacts', {method: 'POST', headers: json,
                          body: '{"given_name": "A", "family_name": "B"}'}),
            await status('/municipalities/05974', {method: 'PATCH', headers: json, body: '{}'}),
          ];
        }"""
    )
    assert statuses == [403, 403, 403, 403, 403]
    soest = editable(_token("admin", "check"), api_url, "/offices/ki-kreis-soest")
    assert soest["name"] != "X" and soest["contacts"] == []


def test_an_admin_picks_any_municipality(page: Any, watched: dict[str, list[Any]], api_url: str,
                                         steinfurt: None) -> None:
    admin = _token("admin", "Initiative")
    page.goto(f"{api_url}/edit#token={admin}")
    page.get_by_role("heading", level=1, name="Verzeichnis bearbeiten").wait_for()
    choice = page.get_by_label("Kommune")
    with urllib.request.urlopen(f"{api_url}/municipalities?limit=100") as answer:
        total = json.load(answer)["total"]
    assert total > 20  # more than one page of the list
    assert choice.locator("option").count() == total + 1  # every municipality, and the prompt
    choice.select_option(STEINFURT)
    page.get_by_role("button", name="Öffnen").click()
    page.get_by_role("heading", level=1, name="Kreis Steinfurt").wait_for()
    contact_item(page, "Stephanie Hieronimus").wait_for()
    assert "Administration" in page.locator("header").inner_text()
    assert axe(page) == []


def test_english_by_browser_preference_and_keyboard_alone(
    browser: Any, api_url: str, coordinator: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    with_axe(page)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        sign_in(page, api_url, coordinator)
        assert page.evaluate("document.documentElement.lang") == "en"
        page.get_by_role("heading", name="Contact persons").wait_for()
        page.get_by_role("heading", name="What the public sees").wait_for()
        assert axe(page) == []

        # Keyboard only: add a person, then delete them through the dialog.
        def tab_to(name: str) -> None:
            for _ in range(60):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.textContent") == name:
                    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
                    return
            pytest.fail(f"Tab never reached {name!r}")

        tab_to("Add a contact person")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.name") == "title"
        page.keyboard.press("Tab")
        page.keyboard.type(GIVEN)
        page.keyboard.press("Tab")
        page.keyboard.type(FAMILY)
        for _ in range(7):  # function, phone, fax, email, languages, topics → the checkbox
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.name") == "public"
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Save"
        page.keyboard.press("Enter")
        contact_item(page).get_by_text(f"“{NAME}” has been added.").wait_for()
        assert page.evaluate("document.activeElement.textContent") == NAME

        tab_to(f"Delete {NAME}")
        page.keyboard.press("Enter")
        page.get_by_role("dialog", name="Delete contact person?").wait_for()
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.textContent") == "Delete for good"
        page.keyboard.press("Enter")
        contact_item(page).wait_for(state="detached")
        assert page.evaluate("document.activeElement.textContent") == "Contact persons"

        page.get_by_role("button", name="Deutsch").click()
        page.get_by_role("heading", name="Kontaktpersonen").wait_for()
        assert page.evaluate("document.documentElement.lang") == "de"
    finally:
        context.close()
    assert not errors


@pytest.mark.parametrize("width", [320, 1280])
def test_layout_fits_and_screenshot(browser: Any, api_url: str, coordinator: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE")
    page = context.new_page()
    try:
        sign_in(page, api_url, coordinator)
        in_widget(page, "Stephanie Hieronimus").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"edit-page-{width}.png"), full_page=True)
        page.get_by_role("button", name="Bearbeiten Stephanie Hieronimus").click()
        page.locator("form.entry").get_by_label("Telefon").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"edit-form-{width}.png"), full_page=True)
    finally:
        context.close()


def test_the_page_may_not_be_framed(browser: Any, api_url: str) -> None:
    """frame-ancestors 'none': another site cannot put the page in a frame (clickjacking)."""
    context = browser.new_context()
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    try:
        # Another origin (localhost vs 127.0.0.1) puts the page into a frame.
        host = "http://localhost:{}/host".format(api_url.rsplit(":", 1)[1])
        page.context.grant_permissions(["local-network-access"])
        framing = f'<!doctype html><title>x</title><iframe src="{api_url}/edit"></iframe>'
        page.route(host, lambda route: route.fulfill(content_type="text/html", body=framing))
        page.goto(host)
        wait_until(page, "document.querySelector('iframe').contentWindow !== null")
        page.wait_for_timeout(300)
        assert [frame.url for frame in page.frames[1:]] == ["chrome-error://chromewebdata/"]
        assert any("frame-ancestors 'none'" in message for message in console)
    finally:
        context.close()



def test_phone_numbers_read_as_in_the_widget_and_the_picker_sorts_by_place(
    page: Any, watched: dict[str, list[Any]], api_url: str, steinfurt: None
) -> None:
    admin = _token("admin", "Initiative")
    page.goto(f"{api_url}/edit#token={admin}")
    page.get_by_role("heading", level=1, name="Verzeichnis bearbeiten").wait_for()
    options = page.get_by_label("Kommune").locator("option").all_inner_texts()[1:]
    names = [o.rsplit(" (", 1)[0] for o in options]
    # Place-name order as the API has it: "Landeshauptstadt Düsseldorf" under D, after Bottrop, before Essen.
    where = names.index
    assert where("Stadt Bottrop") < where("Landeshauptstadt Düsseldorf") < where("Stadt Essen")
    with urllib.request.urlopen(f"{api_url}/municipalities?limit=100") as answer:
        assert names == [m["name"] for m in json.load(answer)["items"]]
    page.get_by_label("Kommune").select_option(STEINFURT)
    page.get_by_role("button", name="Öffnen").click()
    person = contact_item(page, "Stephanie Hieronimus")
    person.wait_for()
    # The display form the widget shows, not the E.164 the API stores for dialling.
    assert "+49 2551 692743" in person.inner_text()
    assert "+492551692743" not in person.inner_text()
