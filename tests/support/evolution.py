"""Reading cards with Evolution's libebook-contacts (EVCard), the parser of GNOME's address book.

Debian's gir1.2-ebookcontacts-1.2, read through Debian's own python3 and python3-gi in
a subprocess: the project's venv runs another Python, which cannot load Debian's gi.
Missing either skips a test locally and fails it under REQUIRE_EVOLUTION=1, as CI sets it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.support.emulators import require_or_skip

SYSTEM_PYTHON = Path("/usr/bin/python3")

# Runs under Debian's python3: reads vCard text on stdin, writes each card's properties
# as [name, values] — values as EVCard splits them (N, ADR, ORG at ';', CATEGORIES at ',').
_READER = r"""
import json, re, sys, warnings
import gi
gi.require_version("EBookContacts", "1.2")
from gi.repository import EBookContacts
text = sys.stdin.read()
cards = re.findall(r"BEGIN:VCARD\r\n.*?END:VCARD\r\n", text, re.S)
out = []
for card in cards:
    parsed = EBookContacts.VCard.new_from_string(card)
    out.append([[a.get_name().upper(), list(a.get_values())] for a in parsed.get_attributes()])
json.dump(out, sys.stdout)
"""

_PROBE = "import gi; gi.require_version('EBookContacts', '1.2'); from gi.repository import EBookContacts"


def _available() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    return subprocess.run([str(SYSTEM_PYTHON), "-c", _PROBE], capture_output=True, timeout=60).returncode == 0


def read_with_evolution(text: str) -> list[list[tuple[str, list[str]]]]:
    """Every card in vCard text, as Evolution reads it: (property name, its values) in order."""
    if not _available():
        require_or_skip(
            "REQUIRE_EVOLUTION",
            "Evolution's libebook-contacts is not installed "
            "(apt-get install python3-gi gir1.2-ebookcontacts-1.2)",
        )
    result = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", _READER],
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return [[(name, values) for name, values in card] for card in json.loads(result.stdout)]
