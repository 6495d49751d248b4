"""``invite``: a sign-in link for every municipality that has none live, as a mail-merge sheet.

The sheet is the only place the tokens appear: the table keeps their hashes, the terminal
says how many were made. Rerunning it leaves live invitations alone; ``--renew`` replaces
the ones about to expire.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click

from admin.commands.tokens import _api_url, _duration
from admin.context import backend, connection, connection_options, counted, directory_store, token_store
from admin.formats.sheet import SHEET_SUFFIXES, write_sheets
from admin.invitations import HEADER, Invitation, expiring, invite, live_tokens, living
from chalicelib.auth.tokens import Tokens

DEFAULT_EXPIRY = timedelta(days=90)


def sheet_path(ctx: click.Context, output: Path) -> Path:
    if output.suffix.lower() not in SHEET_SUFFIXES:
        raise click.UsageError("--output must end in .xlsx or .csv", ctx)
    if not output.parent.is_dir():
        raise click.UsageError(f"--output: no folder {output.parent}", ctx)
    return output


def link_base(ctx: click.Context, api_url: str | None) -> str:
    where = connection(ctx)
    base = api_url or (where.local.api_url if where.local else None)
    if not base:
        raise click.UsageError("name the deployed API with --api-url: the sheet's links point there", ctx)
    return base


def municipality_keys(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
    if value is None:
        return None
    keys = [k.strip() for k in value.split(",") if k.strip()]
    if not keys or any(not k.isdigit() or len(k) not in (5, 8) for k in keys):
        raise click.BadParameter("official keys (AGS) separated by commas, e.g. 05566,05334", ctx, param)
    return keys


@click.command("invite")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="the mail-merge sheet to write: .xlsx or .csv")
@click.option("--only", callback=municipality_keys, metavar="AGS,AGS",
              help="invite only these municipalities [default: every one in the directory]")
@click.option("--expires", callback=_duration, default="90d", show_default=True, metavar="12h|90d|2w",
              help="how long the sign-in links work")
@click.option("--renew", is_flag=True,
              help="also replace live invitations that expire within 14 days (the old link stops working)")
@click.option("--api-url", callback=_api_url, metavar="URL",
              help="the API's base URL for the sign-in links "
              "[default: the local service's, for make run's table]")
@connection_options
@click.pass_context
def invite_command(
    ctx: click.Context, output: Path, only: list[str] | None, expires: timedelta, renew: bool,
    api_url: str | None,
) -> None:
    """Make a sign-in link for every municipality without a live one; write the mail-merge sheet.

    \b
    python -m admin invite -o invitations.xlsx --api-url https://verzeichnis.example.org
    python -m admin invite -o invitations.csv --only 05566,05334 --expires 60d

    One municipality-scoped token per municipality, in the sheet only (columns: municipality,
    office name, office and contact e-mail, label, expiry, sign-in link) — never printed.
    Municipalities with a live invitation are left alone; --renew replaces those that
    expire within 14 days. The sheet holds passwords: delete it after the mail merge.
    """
    path = sheet_path(ctx, output)
    base = link_base(ctx, api_url)
    use = backend(ctx)
    now = use.clock()
    documents = living(directory_store(ctx).load_documents())
    if only is not None:
        unknown = [k for k in only if k not in documents]
        if unknown:
            raise click.UsageError(f"not in the directory: {', '.join(unknown)}", ctx)
        documents = {k: documents[k] for k in only}
    tokens = Tokens(token_store(ctx), clock=use.clock)
    records = tokens.list()
    made: list[Invitation] = []
    left_alone: list[str] = []
    renewed = 0
    for municipality_id, doc in documents.items():
        live = live_tokens(records, municipality_id, now)
        if live and not (renew and all(expiring(r, now) for r in live)):
            left_alone.append(municipality_id)
            continue
        renewed += bool(live)
        made.append(invite(tokens, doc, live, expires, base, now))
    try:
        write_sheets(path, [("Einladungen", HEADER, [i.row() for i in made])], private=True)
    except OSError as problem:
        # Links nobody received would count as live invitations and block the next run.
        for invitation in made:
            tokens.revoke(str(invitation.label))
        raise click.ClickException(
            f"{path}: cannot write ({problem.strerror}); the new links are revoked"
        ) from None
    click.echo(
        f"{path}: {counted(len(made), 'invitation', 'invitations')} ({renewed} renewed); "
        f"{counted(len(left_alone), 'municipality', 'municipalities')} left alone (a live invitation)."
    )
    if made:
        click.echo("The sheet holds sign-in links, which are passwords: "
                   "keep it safe, delete it after the mail merge.")
