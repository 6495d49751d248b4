"""Browser-test helpers shared by tests/browser's fixtures and tests: where things are, what to inject.

Debian's chromium driven by Playwright needs /usr/bin/chromium (or GK_CHROMIUM) and
node_modules/axe-core; `missing_requirement()` says which of them is not there.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("GK_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
# Never let the browser phone home: the tests assert on every request the page makes.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Records every gk-directory:* event the host page sees, as the host page would.
EVENT_RECORDER = """
window.__events = [];
for (const type of ['results', 'select', 'peers', 'error']) {
  document.addEventListener('gk-directory:' + type, (e) => {
    window.__events.push({type, detail: JSON.parse(JSON.stringify(e.detail)), composed: e.composed,
                          bubbles: e.bubbles, target: e.target.localName});
  });
}
"""


def missing_requirement() -> str | None:
    """Why the browser tests cannot run here, or None when everything they need is present."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    if not CHROMIUM.is_file():
        return f"no chromium at {CHROMIUM} (apt-get install chromium)"
    if not AXE.is_file():
        return f"no axe-core at {AXE} (npm install)"
    return None
