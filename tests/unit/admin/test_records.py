"""public_only, canonical form, and the column table documented once."""

from __future__ import annotations

from pathlib import Path

from admin.formats import COLUMNS, column_at, columns_markdown, public_only
from admin.formats.records import canonical
from tests.unit.admin.examples import kommune, kreis

README = Path(__file__).resolve().parents[3] / "admin" / "README.md"


def test_public_only_drops_contacts_not_flagged_public() -> None:
    record = kreis()
    record["offices"][0]["contacts"].append({"id": "c-0003", "given_name": "X", "family_name": "Y"})
    not_a_boolean = {"id": "c-0004", "given_name": "Z", "family_name": "W", "public": "ja"}
    record["offices"][1]["contacts"] = [not_a_boolean]
    original = kreis()
    exported = public_only([record, kommune()])
    assert [c["id"] for c in exported[0]["offices"][0]["contacts"]] == ["c-0001"]
    assert "contacts" not in exported[0]["offices"][1]  # only a true true is public
    assert exported[1] == kommune()
    assert len(record["offices"][0]["contacts"]) == 3  # the input is left alone
    assert kreis() == original


def test_canonical_keeps_false_zero_and_text() -> None:
    contact = {"given_name": "A", "public": False, "topics": [], "title": None}
    record = {"id": "05999", "population": {"count": 0}, "offices": [{"id": "o-1", "contacts": [contact]}]}
    assert canonical(record) == {
        "id": "05999",
        "population": {"count": 0},
        "offices": [{"id": "o-1", "contacts": [{"given_name": "A", "public": False}]}],
    }


def test_columns_are_unique_and_explained_in_both_languages() -> None:
    names = [c.name for c in COLUMNS]
    assert len(names) == len(set(names))
    assert all(c.en and c.de for c in COLUMNS)
    assert [c.level for c in COLUMNS] == sorted((c.level for c in COLUMNS),
                                                key=["municipality", "office", "contact"].index)


def _column_name_at(pointer: str) -> str | None:
    column = column_at(pointer)
    return column.name if column is not None else None


def test_a_field_location_maps_to_its_column() -> None:
    assert _column_name_at("/offices/1/contacts/0/phone") == "contact_phone"
    assert _column_name_at("offices/0/address/street") == "office_street"
    assert _column_name_at("/participation/milestones/2/label") == "participation_milestones"
    assert _column_name_at("/id") == "id"
    assert column_at("/updated_at") is None


def test_the_readme_table_is_the_one_generated_from_the_columns() -> None:
    assert columns_markdown() in README.read_text(encoding="utf-8")
