"""``tokens create | list | revoke``: the editing API's bearer tokens.

A token is shown once, when it is made; the table keeps only its SHA-256 (auth/tokens.py).
``list`` shows what an admin needs to tell tokens apart — never a token or a hash.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import click

from admin.context import backend, connection, connection_options, directory_store, token_store
from chalicelib.auth.tokens import Tokens
from chalicelib.domain import entries
from chalicelib.domain.errors import NotFound
from chalicelib.domain.principal import MUNICIPALITY_SCOPE, valid_scope
from chalicelib.storage.tokens import TokenRecord

_DURATION = re.compile(r"^\s*(\d{1,5})\s*([hdw])\s*$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def parse_duration(text: str) -> timedelta:
    """``12h``, ``90d``, ``2w`` → a timedelta; ValueError for anything else (or zero)."""
    match = _DURATION.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValueError("a lifetime like 12h, 90d or 2w (hours, days, weeks)")
    return int(match.group(1)) * _UNITS[match.group(2)]


def _duration(ctx: click.Context, param: click.Parameter, value: str | None) -> timedelta | None:
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as problem:
        raise click.BadParameter(str(problem), ctx, param) from None


def _scope(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not valid_scope(value):
        raise click.BadParameter("'admin' or 'municipality:<AGS>' (e.g. municipality:05566)", ctx, param)
    if value.startswith(MUNICIPALITY_SCOPE):
        ags = value.removeprefix(MUNICIPALITY_SCOPE)
        reference = backend(ctx).reference()
        if ags not in reference and not (len(ags) == 8 and ags[:5] in reference):
            raise click.BadParameter("not an official key (AGS) of the NRW reference table", ctx, param)
    return value


def _api_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.match(r"^https?://[^\s/]+", value):
        raise click.BadParameter("the API's base URL, e.g. https://verzeichnis.example.org", ctx, param)
    return value.rstrip("/") if value else None


def state(record: TokenRecord, now: datetime) -> str:
    if record.revoked_at:
        return "revoked"
    if record.expires_at and datetime.fromisoformat(record.expires_at) <= now:
        return "expired"
    return "live"


def _when(moment: str | None) -> str:
    """An ISO time as a table shows it: UTC, to the minute."""
    if not moment:
        return "-"
    return datetime.fromisoformat(moment).strftime("%Y-%m-%d %H:%M")


def token_table(records: list[TokenRecord], now: datetime) -> str:
    """The tokens as a text table: id, label, scope, times (UTC) and state — no hashes."""
    header = ("id", "label", "scope", "created (UTC)", "expires", "last used", "state")
    rows = [
        (r.token_id, r.label, r.scope, _when(r.created_at), _when(r.expires_at), _when(r.last_used_at),
         state(r, now))
        for r in records
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]
    return "\n".join(lines)


@click.group()
def tokens() -> None:
    """Make, list and revoke the editing API's tokens."""


@tokens.command("create")
@click.option("--scope", required=True, callback=_scope, metavar="admin|municipality:<AGS>",
              help="what the token may change: everything, or one municipality with its offices and contacts")
@click.option("--label", required=True, metavar="TEXT",
              help="who holds it, e.g. 'KI Kreis Steinfurt'; unique among live tokens, names it in `revoke`")
@click.option("--expires", callback=_duration, metavar="12h|90d|2w",
              help="lifetime in hours, days or weeks [default: no expiry]")
@click.option("--api-url", callback=_api_url, metavar="URL",
              help="the API's base URL, for the editing page's sign-in link "
              "[default: the local service's, when the table is make run's; else no link]")
@connection_options
@click.pass_context
def create(
    ctx: click.Context, scope: str, label: str, expires: timedelta | None, api_url: str | None
) -> None:
    """Make a token and print it — this once; only its hash is stored.

    \b
    gk-admin tokens create --scope municipality:05566 --label "KI Kreis Steinfurt" --expires 90d
    """
    where = connection(ctx)
    use = backend(ctx)
    store = token_store(ctx)
    token, record = Tokens(store, clock=use.clock).create(scope, label, expires)
    ags = scope.removeprefix(MUNICIPALITY_SCOPE) if scope.startswith(MUNICIPALITY_SCOPE) else None
    if ags is not None and not _in_directory(ctx, ags):
        click.echo(f"note: {ags} is not in the directory (yet).", err=True)
    expiry = f"expires {_when(record.expires_at)} UTC" if record.expires_at else "no expiry"
    click.echo(f"Token {record.token_id} for {label!r}, scope {scope}, {expiry}:")
    click.echo("")
    click.echo(f"    {token}")
    click.echo("")
    click.echo("Shown only now: the directory keeps its hash alone. Hand it over by a safe channel.")
    link_base = api_url or (where.local.api_url if where.local else None)
    if link_base:
        click.echo(f"Sign-in link for the editing page: {link_base}/edit#token={token}")


def _in_directory(ctx: click.Context, municipality_id: str) -> bool:
    try:
        stored = directory_store(ctx).get_document(municipality_id)
    except NotFound:
        return False
    return not entries.is_deleted(json.loads(stored.document))


@tokens.command("list")
@connection_options
@click.pass_context
def list_tokens(ctx: click.Context) -> None:
    """List tokens: id, label, scope, created, expiry, last use, state (live/expired/revoked)."""
    records = Tokens(token_store(ctx), clock=backend(ctx).clock).list()
    if not records:
        click.echo("no tokens")
        return
    click.echo(token_table(records, backend(ctx).clock()))


@tokens.command("revoke")
@click.argument("label_or_id")
@connection_options
@click.pass_context
def revoke(ctx: click.Context, label_or_id: str) -> None:
    """Revoke the live token with this label or id; it is refused from its next request on."""
    record = Tokens(token_store(ctx), clock=backend(ctx).clock).revoke(label_or_id)
    click.echo(f"revoked token {record.token_id} ({record.label!r}, scope {record.scope})")
