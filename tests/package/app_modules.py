"""The application modules tests/package looks at, imported here and nowhere else.

When chalicelib/ and tests/ are reorganised, this is the one file to re-point.
"""

from __future__ import annotations

from pathlib import Path

from chalicelib import store as store_module
from chalicelib.storage_actions import ADMIN_ONLY_DYNAMODB_ACTIONS, LAMBDA_DYNAMODB_ACTIONS
from chalicelib.store import DirectoryStore
from tests.integration import test_store_contract as store_contract

# The file whose boto3 calls the Lambda policy must cover.
STORE_SOURCE = Path(store_module.__file__)

__all__ = [
    "ADMIN_ONLY_DYNAMODB_ACTIONS",
    "LAMBDA_DYNAMODB_ACTIONS",
    "STORE_SOURCE",
    "DirectoryStore",
    "store_contract",
]
