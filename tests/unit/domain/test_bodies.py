"""Response bodies and their strong ETags."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

from chalicelib.domain.bodies import Body

ROOT = Path(__file__).resolve().parents[3]
TEXT = '{"name":"Kreis Düren"}'


def test_equal_bodies_get_equal_etags_and_different_ones_different_etags() -> None:
    rebuilt = "".join(['{"name":', '"Kreis Düren"}'])
    assert rebuilt == TEXT and rebuilt is not TEXT  # equal text, built separately
    assert Body.of(rebuilt).etag == Body.of(TEXT).etag
    variants = [
        TEXT,
        TEXT + " ",                                # one byte more
        TEXT.replace("D", "d"),                    # one byte changed
        unicodedata.normalize("NFD", TEXT),        # the same text to a reader, other bytes
        TEXT.replace("Düren", "Dueren"),
        "",
    ]
    assert len({Body.of(text).etag for text in variants}) == len(variants)


def test_etag_is_strong_and_quoted() -> None:
    assert re.fullmatch(r'"[!#-~]+"', Body.of(TEXT).etag)  # RFC 9110 entity-tag, no W/ prefix


def test_etags_agree_across_processes() -> None:
    # Every Lambda container computes ETags itself; a client revalidating against another
    # container must still get its 304, so the ETag may not depend on the process.
    code = f"from chalicelib.domain.bodies import Body; print(Body.of({TEXT!r}).etag)"
    etags = {
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert etags == {Body.of(TEXT).etag}
