"""The application modules tests/package looks at, imported here and nowhere else.

When chalicelib/ and tests/ are reorganised, this is the one file to re-point.
"""

from __future__ import annotations

from pathlib import Path

from chalicelib import storage
from chalicelib.storage.actions import ADMIN_ONLY_DYNAMODB_ACTIONS, LAMBDA_DYNAMODB_ACTIONS
from chalicelib.storage.store import DirectoryStore
from tests.contract import test_store as store_contract

# The files whose boto3 calls the Lambda policy must cover: every module of the storage layer.
STORE_SOURCES = sorted(Path(storage.__file__).parent.glob("*.py"))

__all__ = [
    "ADMIN_ONLY_DYNAMODB_ACTIONS",
    "LAMBDA_DYNAMODB_ACTIONS",
    "STORE_SOURCES",
    "DirectoryStore",
    "store_contract",
]
