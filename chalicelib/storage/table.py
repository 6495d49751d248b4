"""The table's lifecycle: made for local runs, tests and a first deployment; dropped by tests.

Deployed tables come from the template (infra/); both use keys.TABLE_DEFINITION.
"""

from __future__ import annotations

import time

from ..domain.errors import StoreUnavailable
from . import keys
from .calls import TableAccess, dynamodb


class Table(TableAccess):
    def create(self, wait_seconds: float = 30) -> None:
        """Create the table if it is missing and wait until it is ACTIVE."""
        try:
            with dynamodb("CreateTable"):
                self._client.create_table(TableName=self.table_name, **keys.TABLE_DEFINITION)  # type: ignore[arg-type]
        except StoreUnavailable as exc:
            if exc.details.get("aws_error") != "ResourceInUseException":
                raise
        deadline = time.monotonic() + wait_seconds
        while True:
            with dynamodb("DescribeTable"):
                status = self._client.describe_table(TableName=self.table_name)["Table"].get("TableStatus")
            if status == "ACTIVE":
                return
            if time.monotonic() > deadline:
                raise StoreUnavailable(f"table {self.table_name} did not become ACTIVE", {"status": status})
            time.sleep(0.05)

    def delete(self) -> None:
        with dynamodb("DeleteTable"):
            self._client.delete_table(TableName=self.table_name)
