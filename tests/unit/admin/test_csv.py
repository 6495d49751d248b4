"""CSV: German Excel's dialect out, whatever Excel saved in; errors name row and column only."""

from __future__ import annotations

import csv
import io

import pytest

from admin.formats import COLUMNS, read_csv, write_csv
from admin.formats.records import sort_by_id
from tests.unit.admin.examples import NOTE, PHONE, kommune, kreis

HEADER = ";".join(c.name for c in COLUMNS)


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def table(*lines: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode("utf-8")


def line(**cells: str) -> str:
    return ";".join(cells.get(c.name, "") for c in COLUMNS)


def test_written_for_german_excel() -> None:
    data = write_csv([kreis()])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.startswith(HEADER + "\r\n")
    assert text.endswith("\r\n")
    # one row per contact, plus one for the office without contacts
    assert len(rows(data)) == 1 + 3


def test_umlauts_separators_quotes_and_line_breaks_round_trip() -> None:
    records = [kreis(), kommune()]
    result = read_csv(write_csv(records))
    assert result.errors == []
    assert result.records == sort_by_id(records)
    assert result.records[0]["offices"][0]["address"]["note"] == NOTE
    # a municipality without offices is one row, and comes back without offices
    assert "offices" not in result.records[1]


def test_formulas_and_phone_numbers_are_kept_from_excel() -> None:
    data = write_csv([kreis()])
    by_name = dict(zip(rows(data)[0], rows(data)[2], strict=True))
    assert by_name["contact_given_name"] == "'=HYPERLINK(\"x\")"
    assert by_name["contact_family_name"] == "'@Müller"
    first = dict(zip(rows(data)[0], rows(data)[1], strict=True))
    assert first["office_fax"] == "'+49 221 5550124"
    assert first["office_phone"] == PHONE
    assert read_csv(data).records[0]["offices"][0]["contacts"][1]["given_name"] == '=HYPERLINK("x")'


def test_comma_separated_without_bom_is_read() -> None:
    data = write_csv([kreis()], delimiter=",")
    assert data.startswith(b"\xef\xbb\xbf")
    result = read_csv(data[3:])
    assert result.errors == []
    assert result.records == [kreis()]


def test_windows_1252_from_excel_is_read() -> None:
    data = table(line(id="05999", name="Kreis Übungshausen-Süß", participation_status="confirmed"))
    result = read_csv(data.decode("utf-8").encode("cp1252"))
    assert result.errors == []
    assert result.records[0]["name"] == "Kreis Übungshausen-Süß"


def test_keys_excel_took_for_numbers_are_padded() -> None:
    result = read_csv(table(line(id="5999"), line(id="5999001", participation_via="5999")))
    assert result.errors == []
    assert [r["id"] for r in result.records] == ["05999", "05999001"]
    assert result.records[1]["participation"]["via"] == "05999"


def test_german_decimal_commas_are_read() -> None:
    result = read_csv(table(line(id="05999", lat="50,93811", lon="6,957068")))
    assert result.records[0]["coordinates"] == {"lat": 50.93811, "lon": 6.957068}


@pytest.mark.parametrize(
    ("cell", "public"),
    [("ja", True), ("Nein", False), ("true", True), ("FALSE", False), ("yes", True), ("no", False),
     ("wahr", True), ("1", True), ("0", False)],
)
def test_public_is_read_in_german_and_english(cell: str, public: bool) -> None:
    result = read_csv(table(line(id="05999", office_id="o-1", contact_given_name="A", contact_public=cell)))
    assert result.errors == []
    assert result.records[0]["offices"][0]["contacts"][0]["public"] is public


def test_blank_lines_are_skipped_and_rows_counted_as_excel_shows_them() -> None:
    data = table(
        line(id="05999", office_id="o-1", contact_given_name="A", contact_public="ja"),
        ";" * (len(COLUMNS) - 1),
        "",
        line(id="05999", office_id="o-1", contact_given_name="B", contact_public="vielleicht"),
    )
    result = read_csv(data)
    assert [(e.row, e.column) for e in result.errors] == [(5, "contact_public")]
    assert "vielleicht" not in str(result.errors[0])
    assert len(result.records[0]["offices"][0]["contacts"]) == 2


def test_rows_of_one_municipality_must_agree() -> None:
    data = table(
        line(id="05999", name="Kreis A", office_id="o-1"),
        line(id="05999", name="Kreis B", office_id="o-2"),
    )
    result = read_csv(data)
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.row, error.column) == (3, "name")
    assert "row 2" in error.message
    assert "Kreis" not in str(error)


def test_rows_of_one_office_must_agree() -> None:
    data = table(
        line(id="05999", office_id="o-1", office_phone="0221 1", contact_given_name="A"),
        line(id="05999", office_id="o-1", office_phone="0221 2", contact_given_name="B"),
    )
    error = read_csv(data).errors[0]
    assert (error.row, error.column) == (3, "office_phone")
    assert "row 2" in error.message and "0221" not in str(error)


def test_errors_name_row_and_column_never_the_value() -> None:
    secret = "geheim@example.org"
    data = table(
        line(office_id="o-1", contact_email=secret),  # no id
        line(id="05999", contact_given_name="A", contact_email=secret),  # contact without office
        line(id="05999", lat="nördlich", office_id="o-1", contact_id="c-1", contact_given_name="A"),
        line(id="05999", office_id="o-1", contact_id="c-1", contact_given_name="B", contact_email=secret),
        line(id="A-05999"),
        line(id="05999", participation_milestones="[kein json"),
    )
    result = read_csv(data)
    found = [(e.row, e.column) for e in result.errors]
    assert found == [(2, "id"), (3, "office_id"), (4, "lat"), (5, "contact_id"), (6, "id"),
                     (7, "participation_milestones")]
    assert "row 4" in result.errors[3].message
    text = "\n".join(str(e) for e in result.errors)
    for value in (secret, "nördlich", "kein json", "A-05999"):
        assert value not in text


def test_header_problems_are_row_one() -> None:
    result = read_csv(table(line(id="05999"), header=HEADER + ";Bemerkung;name"))
    assert [(e.row, e.column) for e in result.errors] == [(1, "bemerkung"), (1, "name")]
    assert read_csv(table("x", header="name")).errors[0].column == "id"
    assert read_csv(b"").errors[0].row == 1


def test_columns_may_be_missing_and_in_any_order() -> None:
    data = b"participation_status,id,office_id,office_name\r\nconfirmed,05999,o-1,Amt\r\n"
    result = read_csv(data)
    assert result.errors == []
    assert result.records == [
        {"id": "05999", "participation": {"status": "confirmed"}, "offices": [{"id": "o-1", "name": "Amt"}]}
    ]
    assert result.row_of("/municipalities/0/offices/0/name") == 2
