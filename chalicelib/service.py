"""The container's long-lived objects, built lazily on first use.

Nothing here runs at import time: a Lambda cold start pays for boto3's client
only when the first request needs DynamoDB, and tests can point the service at
their own emulator before anything is built (reset() after changing env vars).
"""

from __future__ import annotations

from functools import cache, lru_cache

from .config import settings
from .directory import Current, Directory
from .http import Freshness
from .store import DirectoryStore, make_client
from .views import Links


@cache
def store() -> DirectoryStore:
    current = settings()
    return DirectoryStore(make_client(current), current.table_name)


@cache
def directory() -> Directory:
    current = settings()
    return Directory(store(), Links(current.public_base_url), current.refresh_seconds)


def reading() -> tuple[Current, Freshness]:
    """The snapshot to answer from, and what responses built from it say about freshness."""
    current = directory().current()
    return current, _freshness(current, settings().cache_max_age)


@lru_cache(maxsize=8)
def _freshness(current: Current, max_age: int) -> Freshness:
    # Current objects are replaced on every change, so this holds a handful of entries.
    return Freshness(current.snapshot.revision, current.stale, max_age)


def reset() -> None:
    """Forget settings, client and snapshot (tests, or a local run re-pointed elsewhere)."""
    settings.cache_clear()
    store.cache_clear()
    directory.cache_clear()
    _freshness.cache_clear()
