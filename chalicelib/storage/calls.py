"""The DynamoDB calls every store makes, written once: errors, a paginated Query, BatchGetItem.

botocore exceptions never leave the storage layer: ``dynamodb`` turns transport and
service failures into StoreUnavailable (conditional-check failures are left to the
callers that expect them, which turn them into their own domain errors).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from ..domain.errors import StoreUnavailable

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

log = logging.getLogger(__name__)

BATCH_GET_LIMIT = 100  # keys per BatchGetItem, DynamoDB's limit
BATCH_GET_ATTEMPTS = 5


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", "Unknown"))


@contextmanager
def dynamodb(operation: str) -> Iterator[None]:
    """Turn transport and service failures into StoreUnavailable.

    Conditional-check failures are caught by the callers that expect them, so
    they are re-raised untouched here.
    """
    try:
        yield
    except ClientError as exc:
        code = _error_code(exc)
        if code == "ConditionalCheckFailedException":
            raise
        log.warning("dynamodb %s failed: %s", operation, code)
        raise StoreUnavailable(f"DynamoDB {operation} failed", {"aws_error": code}) from exc
    except BotoCoreError as exc:
        log.warning("dynamodb %s failed: %s", operation, type(exc).__name__)
        raise StoreUnavailable(f"DynamoDB {operation} failed", {"aws_error": type(exc).__name__}) from exc


def make_client(region: str, timeout_seconds: float, max_attempts: int) -> DynamoDBClient:
    """A DynamoDB client with short timeouts; honours AWS_ENDPOINT_URL_DYNAMODB."""
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=timeout_seconds,
        read_timeout=timeout_seconds,
        retries={"max_attempts": max_attempts, "mode": "standard"},
    )
    # A session of its own: boto3's default session resolves AWS_ENDPOINT_URL_DYNAMODB
    # once and keeps it, which would pin a re-pointed service to its first endpoint.
    return boto3.session.Session().client("dynamodb", region_name=region, config=config)


class TableAccess:
    """One table through one client: what every store here is (directory, packs, table, tokens).

    Every call goes out as ``self._client.<operation>(...)``: the Lambda policy is derived from
    those calls (tests/package/test_policy.py), so the client is never handed on.
    """

    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self.table_name = table_name

    def _query(self, partition: str, **options: Any) -> Iterator[dict[str, Any]]:
        """Every item of one partition, strongly consistent, page by page (DynamoDB pages at 1 MB).

        options go into each Query as they are (Limit, ProjectionExpression).
        """
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": partition}},
            "ConsistentRead": True,
            **options,
        }
        while True:
            with dynamodb("Query"):
                page = self._client.query(**request)
            yield from page.get("Items", [])
            last_key = page.get("LastEvaluatedKey")
            if not last_key:
                return
            request["ExclusiveStartKey"] = last_key

    def _batch_get(self, wanted: list[Any]) -> list[dict[str, Any]]:
        """Every item of these keys that exists (BatchGetItem, 100 keys a call, retrying leftovers)."""
        found: list[dict[str, Any]] = []
        attempts = 0
        while wanted:
            batch, wanted = wanted[:BATCH_GET_LIMIT], wanted[BATCH_GET_LIMIT:]
            with dynamodb("BatchGetItem"):
                response = self._client.batch_get_item(
                    RequestItems={self.table_name: {"Keys": batch, "ConsistentRead": True}}
                )
            answer: dict[str, Any] = dict(response)
            found.extend(answer.get("Responses", {}).get(self.table_name, []))
            left: dict[str, Any] = answer.get("UnprocessedKeys", {}).get(self.table_name, {})
            unprocessed: list[Any] = left.get("Keys", [])
            if unprocessed:
                attempts += 1
                if attempts > BATCH_GET_ATTEMPTS:
                    raise StoreUnavailable(
                        "DynamoDB BatchGetItem left keys unprocessed", {"keys": len(unprocessed)}
                    )
                time.sleep(0.01 * 2**attempts)
                wanted = [*unprocessed, *wanted]
        return found
