"""`invite` and `report` end to end: click's CliRunner against moto over HTTP.

The sheets are read back as a spreadsheet program would; each sign-in link's token is
checked against the token table the authorizer uses.
"""

from __future__ import annotations

import csv
import io
import json
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import openpyxl
import pytest

from admin.commands.report import stale_cutoff
from chalicelib.auth.tokens import Tokens
from chalicelib.domain.errors import Unauthenticated
from chalicelib.storage.tokens import TokenStore
from tests.e2e.test_admin_cli import SHIPPED, TOKEN, Admin, _later
from tests.support.emulators import make_store

API = "https://verzeichnis.example.org"


@pytest.fixture
def loaded(moto_endpoint: str) -> Iterator[Admin]:
    """A fresh table holding the shipped directory, imported through the command line."""
    store = make_store(moto_endpoint)
    table = Admin(moto_endpoint, store)
    table("import", str(SHIPPED))
    yield table
    store.delete_table()


def _sheet(path: Path) -> list[dict[str, str]]:
    if path.suffix == ".csv":
        return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header, *rows = [[str(cell or "") for cell in row] for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, row, strict=True)) for row in rows]


def _tokens(table: Admin) -> Tokens:
    client = boto3.client("dynamodb", endpoint_url=table.endpoint, region_name="eu-central-1")
    return Tokens(TokenStore(client, table.table))


def _token_of(link: str) -> str:
    assert link.startswith(f"{API}/edit#token=")
    return link.removeprefix(f"{API}/edit#token=")


def _table_text(table: Admin) -> str:
    client = boto3.client("dynamodb", endpoint_url=table.endpoint, region_name="eu-central-1")
    pages = client.get_paginator("scan").paginate(TableName=table.table)
    items = [item for page in pages for item in page["Items"]]
    # Binary attributes (the snapshot's compressed pack) are read as bytes, searched all the same.
    return json.dumps(items, default=repr)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_invite_writes_one_working_link_per_municipality(loaded: Admin, tmp_path: Path, suffix: str) -> None:
    sheet = tmp_path / f"invitations{suffix}"
    result = loaded("invite", "--output", str(sheet), "--api-url", API)

    rows = _sheet(sheet)
    assert "37 invitations (0 renewed); 0 municipalities left alone" in result.output
    assert not TOKEN.search(result.output)  # shown in the file only
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    directory = loaded.stored().contents()
    assert sorted(r["municipality"] for r in rows) == sorted(directory)
    tokens = _tokens(loaded)
    for row in rows:
        token = _token_of(row["sign_in_link"])
        principal = tokens.verify(token)  # works, and opens that municipality only
        assert principal.scope == f"municipality:{row['municipality']}"
        assert principal.label == row["label"]
        expires = datetime.strptime(row["expires_utc"], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
        assert timedelta(days=89) < expires - datetime.now(UTC) <= timedelta(days=90)
    stored = _table_text(loaded)
    assert not any(_token_of(r["sign_in_link"]) in stored for r in rows)  # stored hashed only
    steinfurt = next(r for r in rows if r["municipality"] == "05566")
    assert steinfurt["office_name"] == "Kommunales Integrationszentrum Kreis Steinfurt"
    assert steinfurt["contact_email"] == "stephanie.hieronimus@kreis-steinfurt.de"
    heinsberg = next(r for r in rows if r["municipality"] == "05370")
    assert heinsberg["contact_email"] == "marco.klever@kreis-heinsberg.de"
    assert heinsberg["office_email"] == ""  # the directory has none: nothing made up


def test_a_rerun_leaves_live_invitations_alone_and_renew_replaces_expiring_ones(
    loaded: Admin, tmp_path: Path
) -> None:
    first = tmp_path / "first.csv"
    loaded("invite", "-o", str(first), "--only", "05566,05334", "--expires", "30d", "--api-url", API)
    old = {r["municipality"]: _token_of(r["sign_in_link"]) for r in _sheet(first)}
    assert set(old) == {"05566", "05334"}

    again = tmp_path / "again.csv"
    result = loaded("invite", "-o", str(again), "--api-url", API)
    assert "35 invitations (0 renewed); 2 municipalities left alone" in result.output
    assert {r["municipality"] for r in _sheet(again)} == set(loaded.stored().contents()) - set(old)

    # 20 days on, the first two expire within 14 days: --renew replaces them (and only them)
    renewed = tmp_path / "renewed.csv"
    later = _later(days=20)
    result = loaded("invite", "-o", str(renewed), "--renew", "--api-url", API, backend=later)
    assert "2 invitations (2 renewed); 35 municipalities left alone" in result.output
    fresh = {r["municipality"]: _token_of(r["sign_in_link"]) for r in _sheet(renewed)}
    assert set(fresh) == set(old)
    tokens = _tokens(loaded)
    for municipality_id, token in old.items():
        with pytest.raises(Unauthenticated):
            tokens.verify(token)  # the replaced link stops working
        assert tokens.verify(fresh[municipality_id]).scope == f"municipality:{municipality_id}"


def test_invite_refuses_keys_outside_the_directory_and_makes_nothing(
    loaded: Admin, tmp_path: Path
) -> None:
    result = loaded("invite", "-o", str(tmp_path / "x.xlsx"), "--only", "05566,05962", "--api-url", API,
                    expect=2)
    assert "not in the directory: 05962" in result.output
    assert _tokens(loaded).list() == []
    assert loaded("invite", "-o", str(tmp_path / "x.txt"), "--api-url", API, expect=2)


def test_report_puts_municipalities_without_office_first_and_lists_leads(
    loaded: Admin, tmp_path: Path
) -> None:
    loaded("invite", "-o", str(tmp_path / "one.csv"), "--only", "05566", "--api-url", API)
    output = tmp_path / "report.xlsx"
    result = loaded("report", "-o", str(output))

    workbook = openpyxl.load_workbook(output)
    rows = _sheet(output)
    directory = loaded.stored().contents()
    assert len(rows) == len(directory)
    without = [r["municipality"] for r in rows if not directory[r["municipality"]].get("offices")
               and not directory[r["municipality"]]["participation"].get("via")]
    assert "05334012" in without  # Eschweiler, in its own right since round 3, lists no office yet
    assert [r["municipality"] for r in rows[: len(without)]] == without
    assert all("office" in r["missing"].split(", ") for r in rows[: len(without)])
    heinsberg = next(r for r in rows if r["municipality"] == "05370")
    counts = (heinsberg["offices"], heinsberg["public_contacts"], heinsberg["other_contacts"])
    assert counts == ("1", "1", "0")  # round 3: Marco Klever, public
    assert "public contact" not in heinsberg["missing"]
    steinfurt = next(r for r in rows if r["municipality"] == "05566")
    assert steinfurt["token"].startswith("live until ")
    assert "live token" not in steinfurt["missing"]
    # the leads: indirect evidence, listed apart, never as participants
    leads = [row[0] for row in workbook["Hinweise"].iter_rows(min_row=2, values_only=True)]
    assert {"05962", "05970"} <= set(leads)
    assert not {"05962", "05970"} & {r["municipality"] for r in rows}
    printed = result.output.splitlines()
    assert printed[1].startswith("05")
    table, _, lead_lines = result.output.partition("Leads")
    assert "Kreis Heinsberg" in table and "Märkischer Kreis" in lead_lines and "Märkischer Kreis" not in table


def test_reminders_list_the_unconfirmed_with_fresh_links_where_tokens_expired(
    loaded: Admin, tmp_path: Path
) -> None:
    loaded("invite", "-o", str(tmp_path / "round.csv"), "--only", "05566,05370", "--expires", "30d",
           "--api-url", API)
    store = loaded.store
    confirmed = json.loads(store.get_document("05566").document)
    confirmed["confirmed_at"] = datetime.now(UTC).isoformat(timespec="milliseconds")
    version = store.get_document("05566").version
    store.put_document(store.get_document("05566")._replace(document=json.dumps(confirmed)),
                       expected_version=version)

    reminders = tmp_path / "reminders.xlsx"
    result = loaded("report", "--stale", "12m", "-o", str(reminders), "--renew", "--api-url", API,
                    backend=_later(days=40))
    rows = {r["municipality"]: r for r in _sheet(reminders)}
    assert "05566" not in rows  # confirmed a month ago
    assert set(rows) == set(loaded.stored().contents()) - {"05566"}
    heinsberg = rows["05370"]  # its 30-day link expired: a fresh one
    assert heinsberg["note"] == "a fresh sign-in link"
    assert _tokens(loaded).verify(_token_of(heinsberg["sign_in_link"])).scope == "municipality:05370"
    assert "36 reminders" in result.output
    assert not TOKEN.search(result.output)
    # without --renew nothing is made: the sheet says what to do
    plain = tmp_path / "plain.csv"
    loaded("report", "--stale", "12m", "-o", str(plain))
    assert {r["sign_in_link"] for r in _sheet(plain)} == {""}


def test_stale_ages_are_calendar_months() -> None:
    now = datetime(2027, 3, 15, tzinfo=UTC)
    assert stale_cutoff("12m", now) == datetime(2026, 3, 15, tzinfo=UTC)
    assert stale_cutoff("1y", now) == stale_cutoff("12m", now)
    assert stale_cutoff("2w", now) == datetime(2027, 3, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="12m"):
        stale_cutoff("12x", now)
