"""The reference table the package ships is the one data/ documents."""

from __future__ import annotations

from chalicelib import bootstrap
from chalicelib.write import importer
from chalicelib.write.reference import load_reference
from devtools import reference


def test_the_shipped_reference_is_derived_from_data() -> None:
    assert bootstrap.REFERENCE.read_text(encoding="utf-8") == reference.derived(), (
        "run: python -m devtools.reference"
    )


def test_both_tables_read_alike() -> None:
    assert load_reference(bootstrap.REFERENCE) == load_reference(importer.DEFAULT_REFERENCE)
