"""Which table, where, and with which credentials.

Each setting comes from the first of: a command-line option, the environment
(``GK_TABLE_NAME``, ``AWS_ENDPOINT_URL_DYNAMODB``, ``AWS_REGION``/``AWS_DEFAULT_REGION``),
and the file ``make run`` leaves at the repository root, ``.gk-local.json``
(``{"endpoint": "http://127.0.0.1:PORT", "table": "gk-directory-local"}``).

The local file is taken as a pair or not at all: only when no table is named elsewhere and
no other endpoint is — so ``--table gk-directory-prod`` never ends up on the local emulator,
and a local table name never ends up on AWS. Requests to a loopback endpoint are signed
with the emulator's dummy credentials (unless ``--profile`` says otherwise); everything else
uses boto3's usual chain (profile, environment, SSO, instance role).
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import localservice
from localservice import LOCAL_CREDENTIALS

if TYPE_CHECKING:
    import boto3
    from mypy_boto3_dynamodb import DynamoDBClient

ROOT = Path(__file__).resolve().parents[1]
LOCAL_API_URL = "http://127.0.0.1:8000"
DEFAULT_REGION = "eu-central-1"
# An admin's bulk import may wait a little longer than a Lambda serving reads.
TIMEOUT_SECONDS = 10.0
MAX_ATTEMPTS = 5

_TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")


class ConnectionProblem(ValueError):
    """The settings name no table, or a malformed one."""


@dataclass(frozen=True)
class LocalRun:
    """The local `make run` service as this command line reaches it, read tolerantly from
    ``.gk-local.json`` (localservice.LocalService is the file as make run writes it)."""

    endpoint: str
    table: str
    api_url: str = LOCAL_API_URL


def read_local_service(path: Path | None = None) -> LocalRun | None:
    """The local service's file, or None when there is none (or it is not what make run writes)."""
    try:
        data: Any = json.loads((path or localservice.service_file()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    endpoint, table = data.get("endpoint"), data.get("table")
    api = data.get("url") or data.get("api")  # `make run` writes "url"
    if not isinstance(endpoint, str) or not isinstance(table, str) or not endpoint or not table:
        return None
    published = path or localservice.service_file()
    if isinstance(data.get("pid"), int) and localservice.running(published) is None:
        return None  # left behind by a `make run` that is no longer running
    return LocalRun(endpoint, table, api.rstrip("/") if isinstance(api, str) and api else LOCAL_API_URL)


@dataclass(frozen=True)
class Options:
    """The connection options a command was given (None: not given)."""

    table: str | None = None
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None


@dataclass(frozen=True)
class Connection:
    table: str
    region: str | None
    profile: str | None
    endpoint_url: str | None
    # Set when table and endpoint came from .gk-local.json: the local `make run` service.
    local: LocalRun | None = None

    @property
    def loopback(self) -> bool:
        return is_loopback(self.endpoint_url)

    def describe(self) -> str:
        """Where this connection goes, for messages (no credentials in it)."""
        where = self.endpoint_url or f"AWS {self.region or 'default region'}"
        return f"table {self.table} at {where}"


def is_loopback(endpoint_url: str | None) -> bool:
    if not endpoint_url:
        return False
    host = urlsplit(endpoint_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _given(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def resolve(options: Options, env: Mapping[str, str], local: LocalRun | None) -> Connection:
    """The connection: options › environment › the local service's file (as a pair)."""
    table = _given(options.table) or _given(env.get("GK_TABLE_NAME"))
    endpoint = _given(options.endpoint_url) or _given(env.get("AWS_ENDPOINT_URL_DYNAMODB"))
    region = _given(options.region) or _given(env.get("AWS_REGION")) or _given(env.get("AWS_DEFAULT_REGION"))
    used_local = None
    if local is not None and table is None and endpoint in (None, local.endpoint):
        table, endpoint, used_local = local.table, local.endpoint, local
    if table is None:
        raise ConnectionProblem(
            "no table: give --table (and --region/--profile for AWS, or --endpoint-url for an "
            "emulator), set GK_TABLE_NAME, or start the local service with `make run`"
        )
    if not _TABLE_NAME.match(table):
        raise ConnectionProblem("the table name must be 3–255 letters, digits, '_', '.' or '-'")
    if endpoint is not None and urlsplit(endpoint).scheme not in ("http", "https"):
        raise ConnectionProblem("the endpoint URL must be an http(s) URL")
    return Connection(table, region, _given(options.profile), endpoint, used_local)


def session_for(connection: Connection) -> boto3.session.Session:
    """A boto3 session: the emulator's dummy credentials on loopback, boto3's chain elsewhere.

    Raises botocore's ProfileNotFound for an unknown profile; missing credentials surface on
    the first call (the store turns them into StoreUnavailable).
    """
    import boto3

    if connection.loopback and connection.profile is None:
        # Never sign requests to an emulator with an operator's real credentials.
        return boto3.session.Session(
            aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=connection.region or DEFAULT_REGION,
        )
    return boto3.session.Session(profile_name=connection.profile, region_name=connection.region)


def dynamodb_client(connection: Connection) -> DynamoDBClient:
    """A DynamoDB client for the connection, with an admin's patience (timeouts, retries)."""
    from botocore.config import Config

    session = session_for(connection)
    config = Config(
        connect_timeout=TIMEOUT_SECONDS,
        read_timeout=TIMEOUT_SECONDS,
        retries={"max_attempts": MAX_ATTEMPTS, "mode": "standard"},
    )
    return session.client(
        "dynamodb",
        region_name=session.region_name or DEFAULT_REGION,
        endpoint_url=connection.endpoint_url,
        config=config,
    )
