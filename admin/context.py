"""What every admin command shares: settings, the connection, the stores, error messages.

Commands get their DynamoDB access from a ``Backend`` on the click context, so tests can hand
in a store that fails midway, a clock or an environment of their own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import click
from botocore.exceptions import BotoCoreError

from admin.connection import (
    Connection,
    ConnectionProblem,
    LocalRun,
    Options,
    dynamodb_client,
    read_local_service,
    resolve,
)
from chalicelib.domain.errors import DirectoryError, StoreUnavailable
from chalicelib.storage.store import DirectoryStore
from chalicelib.storage.tokens import TokenStore
from chalicelib.write.importer import DEFAULT_REFERENCE
from chalicelib.write.reference import ReferenceEntry, load_reference

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

F = TypeVar("F", bound=Callable[..., Any])
_OPTIONS = "admin.connection_options"
_CONNECTION = "admin.connection"
_CLIENT = "admin.client"
_UNREACHABLE = ("EndpointConnectionError", "ConnectTimeoutError", "ReadTimeoutError", "ConnectionClosedError")


@dataclass
class Backend:
    """How the commands reach their settings and DynamoDB; tests substitute parts of it."""

    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    local_service: Callable[[], LocalRun | None] = read_local_service
    client: Callable[[Connection], DynamoDBClient] = dynamodb_client
    directory_store: Callable[[DynamoDBClient, str], DirectoryStore] = DirectoryStore
    token_store: Callable[[DynamoDBClient, str], TokenStore] = TokenStore
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    reference: Callable[[], dict[str, ReferenceEntry]] = lambda: load_reference(DEFAULT_REFERENCE)


def backend(ctx: click.Context) -> Backend:
    found = ctx.find_object(Backend)
    return found if found is not None else ctx.ensure_object(Backend)


def _remember(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    ctx.meta.setdefault(_OPTIONS, {})[param.name] = value


def connection_options(command: F) -> F:
    """--table, --region, --profile, --endpoint-url on a command that talks to DynamoDB."""
    options = [
        click.option(
            "--table", metavar="NAME", expose_value=False, callback=_remember,
            help="DynamoDB table [env GK_TABLE_NAME; else the one `make run` publishes in .gk-local.json]",
        ),
        click.option(
            "--region", metavar="REGION", expose_value=False, callback=_remember,
            help="AWS region [env AWS_REGION, AWS_DEFAULT_REGION; else the profile's; else eu-central-1]",
        ),
        click.option(
            "--profile", metavar="NAME", expose_value=False, callback=_remember,
            help="AWS profile for credentials [boto3's usual chain: AWS_PROFILE, environment, SSO, role]",
        ),
        click.option(
            "--endpoint-url", metavar="URL", expose_value=False, callback=_remember,
            help="a DynamoDB emulator, e.g. http://127.0.0.1:8001 [env AWS_ENDPOINT_URL_DYNAMODB]; "
            "loopback endpoints get dummy credentials",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def connection(ctx: click.Context) -> Connection:
    """The connection the command's options, the environment and .gk-local.json name."""
    found: Connection | None = ctx.meta.get(_CONNECTION)
    if found is not None:
        return found
    given = ctx.meta.get(_OPTIONS, {})
    use = backend(ctx)
    try:
        found = resolve(Options(**given), use.environ, use.local_service())
    except ConnectionProblem as problem:
        raise click.UsageError(str(problem), ctx) from None
    ctx.meta[_CONNECTION] = found
    return found


def client(ctx: click.Context) -> DynamoDBClient:
    """One DynamoDB client per command run."""
    made: DynamoDBClient | None = ctx.meta.get(_CLIENT)
    if made is None:
        try:
            made = backend(ctx).client(connection(ctx))
        except BotoCoreError as exc:  # an unknown --profile, say
            raise click.ClickException(f"AWS configuration: {exc}") from None
        ctx.meta[_CLIENT] = made
    return made


def directory_store(ctx: click.Context) -> DirectoryStore:
    return backend(ctx).directory_store(client(ctx), connection(ctx).table)


def token_store(ctx: click.Context) -> TokenStore:
    return backend(ctx).token_store(client(ctx), connection(ctx).table)


def counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def explain(error: DirectoryError, where: Connection | None) -> str:
    """A domain error as one line for an admin: what failed and what to try."""
    if not isinstance(error, StoreUnavailable):
        return error.message
    code = str(error.details.get("aws_error", ""))
    place = where.describe() if where else "DynamoDB"
    if code == "ResourceNotFoundException":
        return f"{place}: no such table (create it with `import --create-table`, or check --table/--region)"
    if code in _UNREACHABLE:
        hint = " — is `make run` still running? (.gk-local.json names it)" if where and where.local else ""
        return f"{place}: cannot reach DynamoDB ({code}){hint}"
    if code in ("NoCredentialsError", "PartialCredentialsError"):
        return f"{place}: no AWS credentials (use --profile, or the usual AWS environment)"
    return f"{place}: {error.message} ({code})"


class AdminGroup(click.Group):
    """Turns the directory's own errors into click's: a message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DirectoryError as error:
            # ctx.meta is shared with the subcommands' contexts: the connection is there if one was made.
            raise click.ClickException(explain(error, ctx.meta.get(_CONNECTION))) from None
