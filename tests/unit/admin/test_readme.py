"""The admin guide's (docs/admin.md) CSV example is the shipped data as `export --format csv`
writes it; its column table is the generated one."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from admin.formats import columns_markdown, write_csv
from admin.stored import StoredDirectory
from chalicelib.write import importer
from chalicelib.write.reference import load_reference
from chalicelib.write.writer import content_of
from tests.support.editing import HIERONIMUS

ADMIN_GUIDE = Path(__file__).resolve().parents[3] / "docs" / "admin.md"


def _exported_rows() -> list[str]:
    """The shipped data as an export of a table it was imported into (revision 1) writes it."""
    municipalities = importer.read_directory(
        importer.DEFAULT_DIRECTORY, load_reference(importer.DEFAULT_REFERENCE)
    )
    records = StoredDirectory({m.id: content_of(m) for m in municipalities}).records()
    for record in records:
        record["revision"] = 1
        for office in record.get("offices", []):
            office["revision"] = 1
            for contact in office.get("contacts", []):
                contact["revision"] = 1
    return write_csv(records, 1).decode("utf-8-sig").split("\r\n")


def test_the_csv_example_is_three_rows_of_the_shipped_data_as_exported() -> None:
    text = ADMIN_GUIDE.read_text(encoding="utf-8")
    found = re.search(r"test_readme\.py checks them\. -->\n```csv\n(.*?)\n```", text, re.DOTALL)
    assert found, "the CSV example is missing from docs/admin.md"
    header, *rows = found.group(1).split("\n")
    exported = _exported_rows()
    assert header == exported[0]
    assert len(rows) == 3 and all(row in exported for row in rows)
    cells = [dict(zip(header.split(";"), row, strict=True)) for row in csv.reader(rows, delimiter=";")]
    assert [(c["id"], c["office_id"] != "", c["contact_id"]) for c in cells] == [
        ("05112", True, ""),  # two offices without contacts
        ("05113", True, ""),
        ("05566", True, HIERONIMUS),  # and the one published contact person
    ]


def test_the_column_table_is_the_generated_one() -> None:
    assert columns_markdown() in ADMIN_GUIDE.read_text(encoding="utf-8")
