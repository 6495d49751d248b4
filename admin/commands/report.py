"""``report``: completeness and freshness of every participating municipality — and reminders.

Without --stale: the table (chalicelib/write/report.py), what needs attention first,
printed, and written with --output; then the leads, municipalities with only indirect
evidence (data/*_evidence.csv), which are not participants. With --stale: the mail-merge
sheet of the municipalities unconfirmed for longer than that, with fresh sign-in links
(--renew) where their token expired. No e-mail is sent.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import click

from admin.commands.invite import DEFAULT_EXPIRY, link_base, sheet_path
from admin.commands.tokens import _api_url, _duration
from admin.context import backend, connection_options, counted, directory_store, token_store
from admin.formats.sheet import Cell, write_sheets
from admin.invitations import HEADER, addressee, invite, live_tokens, living
from chalicelib.auth.tokens import Tokens
from chalicelib.domain.entries import Json
from chalicelib.storage.tokens import TokenRecord
from chalicelib.write.importer import DATA_DIR
from chalicelib.write.report import ReportRow, report

COLUMNS = (
    "municipality", "name", "kind", "via", "offices", "public_contacts", "other_contacts",
    "offices_with_address", "offices_with_phone", "offices_with_email", "last_change_utc", "last_change_by",
    "confirmed_utc", "confirmed_by", "token", "token_last_used_utc", "missing",
)
LEAD_COLUMNS = ("municipality", "name", "evidence", "source")
REMINDER_HEADER = (*HEADER[:5], "confirmed_utc", "note", *HEADER[5:])
_STALE = re.compile(r"^\s*(\d{1,4})\s*([dwmy])\s*$")


@dataclass(frozen=True)
class Lead:
    id: str
    name: str
    evidence: str
    source: str


def stale_cutoff(text: str, now: datetime) -> datetime:
    """``12m`` → twelve calendar months before now (also ``d``, ``w``, ``y``); ValueError else."""
    match = _STALE.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValueError("an age like 12m, 6m, 90d or 1y (days, weeks, months, years)")
    count, unit = int(match.group(1)), match.group(2)
    if unit in "dw":
        return now - count * timedelta(days=1 if unit == "d" else 7)
    months = count * (12 if unit == "y" else 1)
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    day = min(now.day, 28)  # the 29th–31st do not exist in every month; a day's slack is no matter here
    return now.replace(year=year, month=month + 1, day=day)


def _stale(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            stale_cutoff(value, datetime.now().astimezone())
        except ValueError as problem:
            raise click.BadParameter(str(problem), ctx, param) from None
    return value


def leads(participants: set[str], data_dir: Path = DATA_DIR) -> list[Lead]:
    """Municipalities with strong indirect evidence only (the research rounds): leads, not participants."""
    found: dict[str, Lead] = {}
    for path in sorted(data_dir.glob("round*_evidence.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                status = row.get("status", "")
                indirect = status.startswith("unknown") and "strong indirect" in status
                if indirect and row["ags"] not in participants:
                    found[row["ags"]] = Lead(row["ags"], row["name"], status, row.get("source_url", ""))
    return sorted(found.values(), key=lambda lead: lead.id)


def _when(moment: str | None) -> str:
    return datetime.fromisoformat(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


def cells(row: ReportRow) -> list[Cell]:
    token = "-"  # noqa: S105 - a table cell
    if row.token_live:
        token = "live until " + _when(row.token_expires) if row.token_expires else "live"
    return [
        row.id, row.name, row.kind, row.via or "", row.offices, row.public_contacts, row.other_contacts,
        row.offices_with_address, row.offices_with_phone, row.offices_with_email,
        _when(row.last_change), row.last_change_by or "-", _when(row.confirmed_at), row.confirmed_by or "-",
        token, _when(row.token_last_used), ", ".join(row.missing) or "-",
    ]


def text_table(rows: list[ReportRow]) -> str:
    """The report for a terminal: the columns that fit, fractions of offices as 1/2."""
    header = ("AGS", "municipality", "offices", "contacts pub/other", "addr/phone/mail", "last change",
              "confirmed", "token", "last use", "missing")
    lines = [header]
    for r in rows:
        token = (_when(r.token_expires)[:10] if r.token_expires else "live") if r.token_live else "-"
        details = f"{r.offices_with_address}/{r.offices_with_phone}/{r.offices_with_email} of {r.offices}"
        lines.append((
            r.id, r.name[:34], str(r.offices) if r.offices or not r.via else f"via {r.via}",
            f"{r.public_contacts}/{r.other_contacts}", details if r.offices else "-",
            _when(r.last_change)[:10] + (f" {r.last_change_by}" if r.last_change_by else ""),
            _when(r.confirmed_at)[:10], token, _when(r.token_last_used)[:10], ", ".join(r.missing) or "-",
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    joined = ("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines)
    return "\n".join(joined)


@click.command("report")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="also write the table (or, with --stale, the reminder sheet): .xlsx or .csv")
@click.option("--stale", callback=_stale, metavar="12m|90d|1y",
              help="write the reminder sheet of municipalities unconfirmed for longer than this "
              "(needs --output)")
@click.option("--renew", is_flag=True,
              help="with --stale: a fresh sign-in link for each whose token expired "
              "(or who has none)")
@click.option("--expires", callback=_duration, default="90d", show_default=True, metavar="12h|90d|2w",
              help="with --renew: how long the fresh links work")
@click.option("--api-url", callback=_api_url, metavar="URL",
              help="with --renew: the API's base URL for the links [default: the local service's]")
@connection_options
@click.pass_context
def report_command(
    ctx: click.Context, output: Path | None, stale: str | None, renew: bool, expires: timedelta | None,
    api_url: str | None,
) -> None:
    """Completeness and freshness of every participating municipality, what needs attention first.

    \b
    python -m admin report                              # the table, then the leads
    python -m admin report -o report.xlsx
    python -m admin report --stale 12m -o reminders.xlsx --renew --api-url https://verzeichnis.example.org

    Each row: offices, public and other contacts, how many offices have an address, phone
    and e-mail, the last change and by whom, the last confirmation, the live token and its
    last use, and what is missing. No e-mail is sent: --stale writes a mail-merge sheet.
    """
    if stale is not None and output is None:
        raise click.UsageError("--stale writes a mail-merge sheet: name it with --output", ctx)
    if renew and stale is None:
        raise click.UsageError("--renew goes with --stale", ctx)
    path = sheet_path(ctx, output) if output is not None else None
    use = backend(ctx)
    now = use.clock()
    documents = living(directory_store(ctx).load_documents())
    tokens = Tokens(token_store(ctx), clock=use.clock)
    records = tokens.list()
    if stale is not None and path is not None:
        _reminders(ctx, path, documents, tokens, records, stale_cutoff(stale, now), renew,
                   expires or DEFAULT_EXPIRY, api_url, now)
        return
    rows = report(documents, records, now)
    found = leads(set(documents))
    click.echo(text_table(rows))
    if found:
        click.echo("")
        click.echo("Leads — indirect evidence only, not participants:")
        for lead in found:
            click.echo(f"  {lead.id}  {lead.name}: {lead.evidence}")
    if path is not None:
        write_sheets(path, [
            ("Bericht", COLUMNS, [cells(r) for r in rows]),
            ("Hinweise", LEAD_COLUMNS, [[lead.id, lead.name, lead.evidence, lead.source] for lead in found]),
        ])
        click.echo(f"{path}: {counted(len(rows), 'municipality', 'municipalities')}", err=True)


def _reminders(
    ctx: click.Context, path: Path, documents: dict[str, Json], tokens: Tokens, records: list[TokenRecord],
    cutoff: datetime, renew: bool, expires: timedelta, api_url: str | None, now: datetime,
) -> None:
    base = link_base(ctx, api_url) if renew else None
    rows: list[list[Cell]] = []
    fresh = 0
    for municipality_id, doc in documents.items():
        confirmed = doc.get("confirmed_at")
        if isinstance(confirmed, str) and datetime.fromisoformat(confirmed) >= cutoff:
            continue
        live = live_tokens(records, municipality_id, now)
        if live:
            until = max((r.expires_at or "" for r in live), default="")
            note = f"its sign-in link works until {_when(until)}" if until else "its sign-in link works"
            invitation = addressee(doc)
        elif base is not None:
            invitation = invite(tokens, doc, (), expires, base, now)
            note = "a fresh sign-in link"
            fresh += 1
        else:
            invitation = addressee(doc)
            note = "no working sign-in link: run again with --renew"
        row = invitation.row()
        rows.append([*row[:5], _when(confirmed if isinstance(confirmed, str) else None), note, *row[5:]])
    write_sheets(path, [("Erinnerungen", REMINDER_HEADER, rows)], private=fresh > 0)
    click.echo(f"{path}: {counted(len(rows), 'reminder', 'reminders')} ({fresh} with a fresh sign-in link).")
