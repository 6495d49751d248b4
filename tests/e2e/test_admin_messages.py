"""Issue 18's "done when": the import of a sheet with the six mistakes answers with six messages a
clerk can act on, in German — `.venv/bin/gk-admin` as a clerk's admin runs it, against moto."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.emulators import ROOT, make_store
from tests.unit.admin.test_clerk_messages import SIX_MISTAKES, six_mistakes

GK_ADMIN = Path(sys.executable).parent / "gk-admin"


def import_sheet(
    endpoint: str, tmp_path: Path, *options: str, lang_env: str
) -> subprocess.CompletedProcess[str]:
    store = make_store(endpoint)
    sheet = tmp_path / "verzeichnis.csv"
    sheet.write_bytes(six_mistakes())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GK_", "LC_", "LANG"))}
    env["LANG"] = lang_env
    return subprocess.run(
        [str(GK_ADMIN), *options, "import", str(sheet),
         "--endpoint-url", endpoint, "--table", store.table_name],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_six_mistakes_six_german_messages_nothing_written(moto_endpoint: str, tmp_path: Path) -> None:
    done = import_sheet(moto_endpoint, tmp_path, "--lang", "de", lang_env="C.UTF-8")
    assert done.returncode == 1  # refused input
    told = [line.strip() for line in done.stderr.splitlines() if line.startswith("  ")]
    assert len(told) == 6, done.stderr
    assert all(line.startswith("Zeile 2, ") for line in told)
    assert all("erwartet: " in line or "Referenztabelle" in line for line in told)
    assert not any(value in done.stderr for value in SIX_MISTAKES.values())
    assert "nichts wurde geschrieben" in done.stderr


def test_german_by_the_environment_english_by_option(moto_endpoint: str, tmp_path: Path) -> None:
    german = import_sheet(moto_endpoint, tmp_path, lang_env="de_DE.UTF-8")
    assert "Zeile 2, " in german.stderr
    english = import_sheet(moto_endpoint, tmp_path, "--lang", "en", lang_env="de_DE.UTF-8")
    assert "row 2, " in english.stderr and "Zeile" not in english.stderr
