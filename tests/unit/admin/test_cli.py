"""The command line's shape, without DynamoDB: help everywhere, usage errors exit 2."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from admin.cli import cli
from admin.commands.tokens import parse_duration, token_table
from admin.context import Backend
from chalicelib.storage.tokens import TokenRecord

NOWHERE = Backend(environ={}, local_service=lambda: None)
COMMANDS = [[], ["tokens"], ["tokens", "create"], ["tokens", "list"], ["tokens", "revoke"], ["import"],
            ["export"], ["settle"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "admin")
def test_every_command_has_help(command: list[str]) -> None:
    for flag in ("--help", "-h"):
        result = CliRunner().invoke(cli, [*command, flag], obj=NOWHERE)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("Usage: ")


@pytest.mark.parametrize(
    "args",
    [["export"], ["settle"], ["tokens", "list"], ["tokens", "revoke", "x"],
     ["tokens", "create", "--scope", "admin", "--label", "x"]],
)
def test_no_table_known_is_a_usage_error(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args, obj=NOWHERE)
    assert result.exit_code == 2
    assert "no table: give --table" in result.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    (tmp_path / "list.txt").write_text("x", encoding="utf-8")
    cases = [
        (["frobnicate"], "No such command"),
        (["import"], "Missing argument 'FILE'"),
        (["import", str(tmp_path / "missing.json")], "does not exist"),
        (["import", str(tmp_path / "list.txt"), "--table", "t-1"], "use a .json, .csv or .xlsx file"),
        (["export", "--format", "pdf", "--table", "t-1"], "'pdf' is not one of"),
        (["export", "-o", str(tmp_path / "x.pdf"), "--table", "t-1"], "name a .json, .csv or .xlsx file"),
        (["tokens", "create", "--label", "x"], "Missing option '--scope'"),
        (["export", "--table", "not a table"], "table name"),
    ]
    for args, message in cases:
        result = runner.invoke(cli, args, obj=NOWHERE)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)


@pytest.mark.parametrize(
    ("text", "lifetime"),
    [
        ("12h", timedelta(hours=12)),
        ("90d", timedelta(days=90)),
        ("2w", timedelta(weeks=2)),
        (" 1d ", timedelta(days=1)),
    ],
)
def test_lifetimes(text: str, lifetime: timedelta) -> None:
    assert parse_duration(text) == lifetime


@pytest.mark.parametrize("text", ["", "0d", "12", "d", "1.5d", "3m", "1y", "-1d", "1d2h"])
def test_lifetimes_that_are_not(text: str) -> None:
    with pytest.raises(ValueError, match="12h, 90d or 2w"):
        parse_duration(text)


def test_the_token_table_shows_states_and_no_hashes() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    records = [
        TokenRecord("a" * 64, "id-live", "Büro", "admin", "2026-11-01T09:00:00+00:00"),
        TokenRecord("b" * 64, "id-old", "KI E", "municipality:05113", "2026-10-01T09:00:00+00:00",
                    expires_at="2026-11-01T09:00:00+00:00", last_used_at="2026-10-30T17:45:12+00:00"),
        TokenRecord("c" * 64, "id-gone", "weg", "admin", "2026-09-01T09:00:00+00:00",
                    revoked_at="2026-09-02T09:00:00+00:00"),
    ]
    table = token_table(records, now)
    assert table.splitlines() == [
        "id       label  scope               created (UTC)     expires           last used         state",
        "id-live  Büro   admin               2026-11-01 09:00  -                 -                 live",
        "id-old   KI E   municipality:05113  2026-10-01 09:00  2026-11-01 09:00  2026-10-30 17:45  expired",
        "id-gone  weg    admin               2026-09-01 09:00  -                 -                 revoked",
    ]
    assert "aaaa" not in table
