"""``export``: the directory as a file that imports back to the same directory.

The records are the stored documents without the store's bookkeeping (``admin.stored``):
exactly what an import of them would write, so importing an export changes nothing. Each
entry keeps its ``revision`` and the file the directory revision it was taken at, so that an
import of it refuses to revert edits made since (``chalicelib/write/basis.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from admin.context import connection_options, counted, directory_store
from admin.formats import FORMATS, Format, format_of, write_bytes
from admin.formats import public_only as only_public
from admin.stored import StoredDirectory


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="json, csv or xlsx [default: from -o's extension; else json]")
@click.option("--public-only", is_flag=True,
              help="leave out contacts not flagged public — for sharing; importing such a file back "
              "removes the others")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="the file to write [default: standard output]")
@connection_options
@click.pass_context
def export(ctx: click.Context, fmt: Format | None, public_only: bool, output: Path | None) -> None:
    """Write the directory as JSON (the API's shape), CSV or XLSX.

    \b
    gk-admin export -o directory.xlsx              # to edit in Excel, then import
    gk-admin export --format csv --public-only > directory.csv
    """
    chosen = _format(ctx, fmt, output)
    store = directory_store(ctx)
    # Read before the documents: an entry changed in between carries a later revision, and an
    # import of this file then treats it as changed after the export — the safe side.
    revision = store.revision()
    records = StoredDirectory.of(store.load_documents()).versioned_records()
    if public_only:
        records = only_public(records)
    data = write_bytes(records, chosen, revision)
    if output is None:
        if chosen == "xlsx" and sys.stdout.isatty():
            raise click.UsageError("a spreadsheet is no terminal output: write it to a file with -o", ctx)
        click.echo(data, nl=False)
    else:
        output.write_bytes(data)
    contacts = sum(len(o.get("contacts", [])) for r in records for o in r.get("offices", []))
    public = "public " if public_only else ""
    click.echo(
        f"exported {counted(len(records), 'municipality', 'municipalities')}, "
        f"{counted(contacts, public + 'contact', public + 'contacts')}"
        f"{f' to {output}' if output else ''} ({chosen})",
        err=True,
    )



def _format(ctx: click.Context, fmt: Format | None, output: Path | None) -> Format:
    implied: Format | None = None
    if output is not None:
        try:
            implied = format_of(output)
        except ValueError:
            if fmt is None:
                raise click.BadParameter("name a .json, .csv or .xlsx file, or give --format", ctx,
                                         param_hint="-o") from None
    if fmt is not None and implied is not None and fmt != implied:
        raise click.BadParameter(f"the file name says {implied}, --format says {fmt}", ctx, param_hint="-o")
    return fmt or implied or "json"

