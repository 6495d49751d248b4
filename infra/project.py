"""Everything infra/ takes from the application, imported here and nowhere else.

When chalicelib is reorganised, this is the one file of infra/ to re-point.
"""

from __future__ import annotations

from chalicelib.domain.errors import Forbidden, NotFound, PayloadTooLarge, Unauthenticated
from chalicelib.storage.actions import LAMBDA_DYNAMODB_ACTIONS
from chalicelib.storage.keys import TABLE_DEFINITION
from chalicelib.web.errors import status_of
from chalicelib.web.responses import CORS_HEADERS, JSON_TYPE

# The environment variable bootstrap.py reads the table name from.
TABLE_NAME_VARIABLE = "GK_TABLE_NAME"

# The codes the API itself answers with: the gateway's own answers use the same.
NOT_FOUND_CODE = status_of(NotFound("x"))[1]
UNAUTHENTICATED_CODE = status_of(Unauthenticated("x"))[1]
FORBIDDEN_CODE = status_of(Forbidden("x"))[1]
PAYLOAD_TOO_LARGE_CODE = status_of(PayloadTooLarge("x"))[1]
INTERNAL_ERROR_CODE = "internal_error"

__all__ = [
    "CORS_HEADERS",
    "FORBIDDEN_CODE",
    "INTERNAL_ERROR_CODE",
    "JSON_TYPE",
    "LAMBDA_DYNAMODB_ACTIONS",
    "NOT_FOUND_CODE",
    "PAYLOAD_TOO_LARGE_CODE",
    "TABLE_DEFINITION",
    "TABLE_NAME_VARIABLE",
    "UNAUTHENTICATED_CODE",
]
