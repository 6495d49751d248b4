"""``gk-admin`` (``python -m admin``): the admins' command line — tokens, import, export, settle.

Exit status as click has it: 0 done, 1 failed (an invalid file, DynamoDB unreachable, no such
token …), 2 a usage error (an unknown option, a bad value, no table named).
"""

from __future__ import annotations

import logging

import click

from admin.commands.exporting import export
from admin.commands.importing import import_file
from admin.commands.invite import invite_command
from admin.commands.report import report_command
from admin.commands.settle import settle
from admin.commands.tokens import tokens
from admin.context import AdminGroup
from admin.formats.result import LANGUAGES, set_language


@click.group(cls=AdminGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="language of an import's messages: de or en (default: from LC_ALL/LANG)")
def cli(lang: str | None) -> None:
    """The gk-directory admins' command line: tokens, import, export, settle.

    \b
    Against the local `make run` service nothing needs saying: it publishes its
    endpoint and table in .gk-local.json. Against AWS, name the table:
      gk-admin export -o directory.xlsx --table gk-directory-prod --region eu-central-1
    Options beat the environment (GK_TABLE_NAME, AWS_ENDPOINT_URL_DYNAMODB,
    AWS_REGION), which beats .gk-local.json. `COMMAND --help` tells more.
    """
    set_language("de" if lang == "de" else "en" if lang == "en" else None)


cli.add_command(tokens)
cli.add_command(import_file)
cli.add_command(export)
cli.add_command(settle)
cli.add_command(invite_command)
cli.add_command(report_command)


def main() -> None:
    # The store logs every failed DynamoDB call (for Lambda's logs); here the command says it once.
    logging.getLogger("chalicelib").setLevel(logging.ERROR)
    cli(prog_name="gk-admin")
