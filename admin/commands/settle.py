"""``settle``: stamp the writes a dead writer left pending.

A write lands in its item first and gets its revision afterwards (``write/protocol.py``). A
writer that dies in between leaves the item ``pending``: readers serve it, the change feed
waits for it, and the first snapshot load after a minute's grace settles it. ``settle`` does
that at once for every pending municipality past the grace — the same call readers make
(``Editor.settle_if_abandoned``); younger ones may still have a live writer and are left alone.
"""

from __future__ import annotations

from datetime import datetime

import click

from admin.context import backend, connection_options, directory_store
from admin.stored import StoredDirectory
from chalicelib.write.editor import SETTLE_AFTER, Editor


@click.command()
@connection_options
@click.pass_context
def settle(ctx: click.Context) -> None:
    """Stamp writes left pending by a writer that died (pending for over a minute)."""
    use = backend(ctx)
    store = directory_store(ctx)
    pending = StoredDirectory.of(store.load_documents()).pending()
    if not pending:
        click.echo("nothing pending")
        return
    # settle_if_abandoned reads and stamps one item; it needs neither the reference nor owners.
    editor = Editor(store, use.reference, owner_of=lambda _entry_id: None, clock=use.clock)
    now = use.clock()
    settled = 0
    for municipality_id, since in pending.items():
        if since and now - datetime.fromisoformat(since) < SETTLE_AFTER:
            click.echo(f"left {municipality_id}: pending since {since}, under a minute ago — "
                       "its writer may still be at work")
        elif editor.settle_if_abandoned(municipality_id):
            settled += 1
            click.echo(f"settled {municipality_id} (pending since {since})")
        else:
            click.echo(f"{municipality_id}: settled meanwhile by someone else")
    click.echo(f"{settled} of {len(pending)} pending municipalities settled")
