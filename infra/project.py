"""Everything infra/ takes from the application, imported here and nowhere else.

When chalicelib is reorganised, this is the one file of infra/ to re-point.
"""

from __future__ import annotations

from chalicelib.errors import DirectoryError, NotFound
from chalicelib.http import CORS_HEADERS, JSON_TYPE
from chalicelib.keys import TABLE_DEFINITION
from chalicelib.storage_actions import LAMBDA_DYNAMODB_ACTIONS

# The environment variable config.py reads the table name from.
TABLE_NAME_VARIABLE = "GK_TABLE_NAME"

NOT_FOUND_CODE = NotFound.code
INTERNAL_ERROR_CODE = DirectoryError.code

__all__ = [
    "CORS_HEADERS",
    "INTERNAL_ERROR_CODE",
    "JSON_TYPE",
    "LAMBDA_DYNAMODB_ACTIONS",
    "NOT_FOUND_CODE",
    "TABLE_DEFINITION",
    "TABLE_NAME_VARIABLE",
]
