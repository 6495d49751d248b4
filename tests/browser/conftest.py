"""Browser fixtures: Debian's chromium driven by Playwright, against the live API.

The tests need /usr/bin/chromium and node_modules/axe-core. Where those are
missing the tests skip with the reason; with REQUIRE_BROWSER=1 (set by CI) they
fail instead, so a CI image without a browser cannot pass silently. Paths and
injected scripts live in tests/support/browser.py, for the fixtures and the tests.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, EVENT_RECORDER, missing_requirement


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    missing = missing_requirement()
    if missing:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page (own cache, no cookies) that fails the test on uncaught script errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Lets the page fixture see whether the test body failed, to keep a screenshot of it.
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


@pytest.fixture
def api_url(live_api: Any) -> str:
    return str(live_api.url).rstrip("/")


@pytest.fixture
def demo(page: Any, api_url: str) -> Any:
    """The demo page, loaded and showing its first results."""
    page.add_init_script(EVENT_RECORDER)
    page.goto(f"{api_url}/demo")
    page.locator("gk-directory .card").first.wait_for()
    return page

