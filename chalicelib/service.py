"""The container's long-lived objects, built lazily on first use.

Nothing here runs at import time: a Lambda cold start pays for boto3's client
only when the first request needs DynamoDB, and tests can point the service at
their own emulator before anything is built (reset() after changing env vars).
"""

from __future__ import annotations

from functools import cache

from .config import settings
from .directory import Directory
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


def reset() -> None:
    """Forget settings, client and snapshot (tests, or a local run re-pointed elsewhere)."""
    settings.cache_clear()
    store.cache_clear()
    directory.cache_clear()
