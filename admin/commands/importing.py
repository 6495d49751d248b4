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
from admin.formats import Change, ReadResult, diff, format_of, read_path
from admin.formats.result import current_language
from admin.stored import StoredDirectory
from chalicelib.domain.entries import EntryKind
from chalicelib.domain.errors import DirectoryError, StoreUnavailable
from chalicelib.storage.store import DirectoryStore
from chalicelib.write.basis import Basis, NewerEdit, NewerEdits, keep_absent, newer_edits
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


def _given(entry: object) -> int | None:
    revision = entry.get("revision") if isinstance(entry, dict) else None
    return revision if isinstance(revision, int) and not isinstance(revision, bool) else None


def basis_of(result: ReadResult) -> Basis:
    """What the file says it was taken from: its revision and each listed entry's."""
    found: dict[tuple[str, EntryKind, str], int | None] = {}
    for record in result.records:
        municipality_id = record.get("id")
        if not isinstance(municipality_id, str):
            continue
        found[(municipality_id, "municipality", municipality_id)] = _given(record)
        offices = record.get("offices")
        for office in offices if isinstance(offices, list) else []:
            if not isinstance(office, dict) or not isinstance(office.get("id"), str):
                continue
            found[(municipality_id, "office", office["id"])] = _given(office)
            contacts = office.get("contacts")
            for contact in contacts if isinstance(contacts, list) else []:
                if isinstance(contact, dict) and isinstance(contact.get("id"), str) and contact["id"]:
                    found[(municipality_id, "contact", contact["id"])] = _given(contact)
    return Basis(result.revision, found)


def _refuse(file: Path, found: list[NewerEdit]) -> str:
    for edit in found:
        click.echo(f"  {edit}", err=True)
    entries = counted(len(found), "entry", "entries")
    return (f"{file.name}: {entries} changed in the directory since the file was taken; nothing was written. "
            "Export again and redo the edits, or give --overwrite-newer to overwrite them.")


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
@click.option("--overwrite-newer", is_flag=True,
              help="overwrite entries changed in the directory since the file was exported "
              "(otherwise they are listed and nothing is written)")
@click.option("--create-table", is_flag=True, help="create the table first if it is missing")
@click.option("--yes", "-y", is_flag=True, help="do not ask before --prune removes municipalities")
@connection_options
@click.pass_context
def import_file(
    ctx: click.Context, file: Path, dry_run: bool, prune: bool, overwrite_newer: bool, create_table: bool,
    yes: bool,
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
    Edits made since the export are never reverted silently: an entry the file would
    change that changed in the directory since the file was exported (or, in a file
    made by hand, that exists at all) is listed with who changed it when, and nothing
    is written unless --overwrite-newer is given. Offices and contacts the file does
    not list are kept; only --prune removes them.

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
    # Without --prune the offices and contacts the file leaves out stay, as the import keeps them.
    after = [c if prune else keep_absent(contents.get(str(c["id"])), c) for c in checked.contents]
    changes = diff(before, after)
    pending = [k for k in stored.pending() if k in listed or prune]
    basis = basis_of(result)
    found = newer_edits(stored.documents, checked.contents, basis, prune=prune)
    if dry_run:
        click.echo("Dry run, nothing written. The import would change:" if changes else "No changes.")
        for change in changes:
            click.echo(f"  {change}")
        if found:
            verb = "would overwrite" if overwrite_newer else "refuses: conflicts with"
            click.echo(f"The import {verb} {counted(len(found), 'newer edit', 'newer edits')}:")
            for edit in found:
                click.echo(f"  conflict: {edit}")
        if pending:
            where = counted(len(pending), "municipality", "municipalities")
            click.echo(f"It would also complete the writes an interrupted run left pending in {where}.")
        click.echo(_tally(changes) + ".")
        return

    if found and not overwrite_newer:
        click.echo(_refuse(file, found), err=True)
        ctx.exit(1)

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
                report = writer.import_all(municipalities, prune=prune, basis=basis,
                                           overwrite_newer=overwrite_newer)
        else:
            report = writer.import_all(checked.municipalities, prune=prune, basis=basis,
                                       overwrite_newer=overwrite_newer)
    except NewerEdits as refused:  # an edit landed between the check above and the write
        click.echo(_refuse(file, refused.found), err=True)
        ctx.exit(1)
    except DirectoryError as error:
        raise click.ClickException(
            f"import interrupted — {explain(error, connection(ctx))}. What was written is served and marked "
            "pending; run the same import again to complete it."
        ) from None
    click.echo(f"{file.name}: {_report(report)}.")
