"""``import FILE``: a directory file (JSON, CSV, XLSX) checked as a whole, then written.

Nothing is written unless every row passes (``admin.checks``). The write is the importer's
(``DirectoryWriter.import_all``): the editing API's protocol, one revision for the whole
import, unchanged municipalities not rewritten, ``--prune`` leaving tombstones — and an
import that DynamoDB interrupted completes when it is run again.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from admin.checks import Checked, check
from admin.context import backend, connection, connection_options, counted, directory_store, explain
from admin.formats import Change, diff, format_of, read_path
from admin.formats.result import current_language
from admin.stored import StoredDirectory
from chalicelib.domain.errors import DirectoryError, StoreUnavailable
from chalicelib.storage.store import DirectoryStore
from chalicelib.write.writer import DirectoryWriter, ImportReport

# Files with more entries (≈ rows) than this get a progress bar while they are written.
PROGRESS_ABOVE = 200


def _stored(store: DirectoryStore, *, missing_ok: bool) -> StoredDirectory:
    """The stored directory; empty for a table still to be created (--create-table)."""
    try:
        return StoredDirectory.of(store.load_documents())
    except StoreUnavailable as error:
        if missing_ok and error.details.get("aws_error") == "ResourceNotFoundException":
            return StoredDirectory({})
        raise


def _size(checked: Checked) -> str:
    offices = sum(len(m.offices) for m in checked.municipalities)
    contacts = sum(len(o.contacts) for m in checked.municipalities for o in m.offices)
    return (
        f"{counted(len(checked.municipalities), 'municipality', 'municipalities')}, "
        f"{counted(offices, 'office', 'offices')}, {counted(contacts, 'contact', 'contacts')}"
    )


def _tally(changes: list[Change]) -> str:
    count = Counter(change.action for change in changes)
    return f"{count['added']} added, {count['changed']} changed, {count['removed']} removed"


def _report(report: ImportReport) -> str:
    written = f"revision {report.revision}" if report.revision is not None else "nothing to write"
    return (
        f"{len(report.created)} added, {len(report.updated)} changed, {len(report.unchanged)} unchanged, "
        f"{len(report.deleted)} removed municipalities; {written}"
    )


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="check the file and list what would change; write nothing")
@click.option("--prune", is_flag=True,
              help="also remove the municipalities the file does not list (tombstones stay); asks first")
@click.option("--create-table", is_flag=True, help="create the table first if it is missing")
@click.option("--yes", "-y", is_flag=True, help="do not ask before --prune removes municipalities")
@connection_options
@click.pass_context
def import_file(
    ctx: click.Context, file: Path, dry_run: bool, prune: bool, create_table: bool, yes: bool
) -> None:
    """Check FILE (.json, .csv or .xlsx) as a whole, then write it to the directory.

    \b
    Every row is checked first: the reference table (name, kind, Regierungsbezirk …),
    the models (phone numbers, e-mail, languages …), ids unique across the directory,
    participation.via. Any error — each is listed with its row (JSON: its pointer) and
    column, never its value — and nothing is written.
    Unchanged municipalities are not rewritten; an import DynamoDB interrupted
    completes when run again.

    \b
    gk-admin import directory.xlsx --dry-run     # what would change, by entry and field
    gk-admin import directory.xlsx
    gk-admin import data/directory.json --prune --table gk-directory-prod --region eu-central-1
    """
    try:
        fmt = format_of(file)
    except ValueError:
        raise click.BadParameter("use a .json, .csv or .xlsx file", ctx, param_hint="FILE") from None
    result = read_path(file)
    use = backend(ctx)
    store = directory_store(ctx)
    stored = _stored(store, missing_ok=create_table)
    contents = stored.contents()
    checked = check(result, use.reference(), contents, table=fmt != "json", prune=prune)
    if not checked.ok:
        for error in checked.errors:
            click.echo(f"  {error}", err=True)
        if current_language() == "de":
            click.echo(f"{file.name}: {len(checked.errors)} Fehler; nichts wurde geschrieben.", err=True)
        else:
            errors = counted(len(checked.errors), "error", "errors")
            click.echo(f"{file.name}: {errors}; nothing was written.", err=True)
        ctx.exit(1)
    click.echo(f"{file.name}: {_size(checked)} — valid.")

    listed = {m.id for m in checked.municipalities}
    before = [c for k, c in contents.items() if prune or k in listed]
    changes = diff(before, checked.contents)
    pending = [k for k in stored.pending() if k in listed or prune]
    if dry_run:
        click.echo("Dry run, nothing written. The import would change:" if changes else "No changes.")
        for change in changes:
            click.echo(f"  {change}")
        if pending:
            where = counted(len(pending), "municipality", "municipalities")
            click.echo(f"It would also complete the writes an interrupted run left pending in {where}.")
        click.echo(_tally(changes) + ".")
        return

    removed = [c.municipality_id for c in changes if c.entity == "municipality" and c.action == "removed"]
    if removed and not yes:
        gone = counted(len(removed), "municipality", "municipalities")
        click.confirm(
            f"--prune removes {gone} not in the file ({', '.join(removed)}); tombstones stay. Continue?",
            abort=True,
        )
    writer = DirectoryWriter(store, clock=use.clock)
    try:
        if create_table:
            store.create_table()
        if checked.entries > PROGRESS_ABOVE:
            label = f"writing {len(checked.municipalities)} municipalities"
            with click.progressbar(checked.municipalities, label=label) as municipalities:
                report = writer.import_all(municipalities, prune=prune)
        else:
            report = writer.import_all(checked.municipalities, prune=prune)
    except DirectoryError as error:
        raise click.ClickException(
            f"import interrupted — {explain(error, connection(ctx))}. What was written is served and marked "
            "pending; run the same import again to complete it."
        ) from None
    click.echo(f"{file.name}: {_report(report)}.")
