"""The composition root: settings from the environment, and the container's long-lived objects.

The only code that reads settings. Nothing here runs at import time: a Lambda cold
start pays for boto3's client only when the first request needs DynamoDB, and tests
can point the service at their own emulator before anything is built (reset()
after changing environment variables). Stages in .chalice/config.json set the
variables per deployment; tests and `make run` set them in the environment.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .domain.directory import Current, Directory
from .domain.freshness import Freshness
from .domain.links import Links
from .storage.store import DirectoryStore, make_client
from .web.memo import SnapshotMemo

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from .auth.tokens import Tokens
    from .cards.cache import CardCache
    from .write.editor import Editor
    from .write.reference import ReferenceEntry
    from .write.report import ReportRow
    from .write.settling import Settling

# The write side (pydantic, phonenumbers, email-validator, the reference table) and
# the token check are imported on the first write, never by `import app`: a widget's
# cold start reads only. `python -X importtime -c "import app"` shows what it costs.

# The reference columns of data/nrw_kommunen.csv, shipped inside the package because
# Lambda gets only app.py and chalicelib/ (devtools/reference.py writes it; a test
# keeps it in step with data/).
REFERENCE = Path(__file__).resolve().parent / "assets" / "reference.csv"


class ConfigError(ValueError):
    """A setting is missing or malformed; raised at first use, never per request."""


def _number(env: dict[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {value}")
    return value


class Settings(NamedTuple):
    table_name: str
    # How long a warm container trusts its snapshot before it asks DynamoDB for
    # the revision marker again (one GetItem). 0 means: ask on every request.
    refresh_seconds: float
    # A container that followed writes through the change log reloads everything at
    # most this long after its last full load (and only if the revision moved since):
    # the bound on how long a wrong or lost log entry could go unnoticed.
    full_reload_seconds: float
    # Max age browsers and CDNs may cache a read response.
    cache_max_age: int
    # Prefix for links in responses, e.g. "https://api.example.org/api". Empty:
    # links are root-relative paths ("/municipalities/05566").
    public_base_url: str
    region: str
    # Per-call DynamoDB timeouts: a slow table must not hold a read hostage
    # when a good snapshot is there to serve.
    dynamodb_timeout_seconds: float
    dynamodb_max_attempts: int


def settings_from(env: dict[str, str]) -> Settings:
    """Validate a mapping of environment variables into Settings."""
    table_name = env.get("GK_TABLE_NAME", "").strip()
    if not table_name:
        raise ConfigError("GK_TABLE_NAME must name the DynamoDB table")
    if not all(c.isalnum() or c in "_.-" for c in table_name) or not 3 <= len(table_name) <= 255:
        raise ConfigError(f"GK_TABLE_NAME is not a valid DynamoDB table name: {table_name!r}")
    base = env.get("GK_PUBLIC_BASE_URL", "").strip().rstrip("/")
    if base and not base.startswith(("https://", "http://")):
        raise ConfigError("GK_PUBLIC_BASE_URL must be an absolute http(s) URL")
    return Settings(
        table_name=table_name,
        refresh_seconds=_number(env, "GK_REFRESH_SECONDS", 30, 0, 3600),
        full_reload_seconds=_number(env, "GK_FULL_RELOAD_SECONDS", 3600, 0, 86400),
        cache_max_age=int(_number(env, "GK_CACHE_MAX_AGE", 60, 0, 86400)),
        public_base_url=base,
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-central-1",
        dynamodb_timeout_seconds=_number(env, "GK_DYNAMODB_TIMEOUT_SECONDS", 2, 0.1, 30),
        dynamodb_max_attempts=int(_number(env, "GK_DYNAMODB_MAX_ATTEMPTS", 2, 1, 10)),
    )


@cache
def settings() -> Settings:
    """The container's settings, read from os.environ on first use."""
    return settings_from(dict(os.environ))


@cache
def client() -> DynamoDBClient:
    current = settings()
    return make_client(current.region, current.dynamodb_timeout_seconds, current.dynamodb_max_attempts)


@cache
def store() -> DirectoryStore:
    return DirectoryStore(client(), settings().table_name)


@cache
def links() -> Links:
    return Links(settings().public_base_url)


@cache
def directory() -> Directory:
    current = settings()
    return Directory(
        store(), links(), current.refresh_seconds, full_reload_seconds=current.full_reload_seconds
    )


# State that outlives a request lives here and nowhere else (no module-level caches in
# routes/, cards/ or web/): each is made on first use and dropped by reset(). What stays
# module-level are memo tables of pure functions (parsed Accept headers, download names,
# header maps by Freshness) — they hold no directory data and cannot go stale.


@cache
def responses() -> SnapshotMemo:
    """Search pages and peers lists, rendered once per snapshot and query (web/memo.py)."""
    return SnapshotMemo()


@cache
def cards() -> CardCache:
    """The vCards of the current snapshot (cards/cache.py), imported by the first card request."""
    from .cards.cache import CardCache

    return CardCache()


@cache
def reference() -> dict[str, ReferenceEntry]:
    from .write.reference import load_reference

    return load_reference(REFERENCE)


@cache
def editor() -> Editor:
    from .write.editor import Editor
    from .write.settling import Owners

    owners = Owners(directory())  # the editor's own lookup: reads, never settles or writes
    return Editor(
        store(),
        reference,
        owners.owner,
        repack=directory().repack,  # an erasure leaves a fresh pack behind
        erased_in=owners.erased_in,
    )


@cache
def settling() -> Settling:
    from .write.settling import Settling

    return Settling(directory(), editor().settle_if_abandoned)


@cache
def tokens() -> Tokens:
    from .auth.tokens import Tokens
    from .storage.tokens import TokenStore

    return Tokens(TokenStore(client(), settings().table_name))


def report() -> list[ReportRow]:
    """The admins' completeness report, from the stored documents (non-public contacts count too)."""
    import json
    from datetime import UTC, datetime

    from .write.report import report as build

    documents = {d.municipality_id: json.loads(d.document) for d in store().load_documents()}
    return build(documents, tokens().list(), datetime.now(UTC))


def reading() -> tuple[Current, Freshness]:
    """The snapshot to answer from, and what responses built from it say about freshness."""
    current = directory().current()
    if current.snapshot.pending:
        # A write still unstamped: settle it if its writer died (the write side loads
        # only now, never for a widget's read of a settled directory).
        current = settling().current()
    last = _last_read[0]
    if last is not None and last[0] is current:
        return last
    # Kept for the one Current being served: the next request from the same snapshot reuses
    # it, and a replaced snapshot is let go with the first request after it.
    read = current, Freshness(current.snapshot.revision, current.stale, settings().cache_max_age)
    _last_read[0] = read
    return read


_last_read: list[tuple[Current, Freshness] | None] = [None]


def reset() -> None:
    """Forget settings, client, snapshot and every cache (tests, or a local run re-pointed elsewhere)."""
    _last_read[0] = None
    settings.cache_clear()
    client.cache_clear()
    store.cache_clear()
    links.cache_clear()
    directory.cache_clear()
    responses.cache_clear()
    cards.cache_clear()
    reference.cache_clear()
    editor.cache_clear()
    settling.cache_clear()
    tokens.cache_clear()
