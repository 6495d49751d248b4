"""DynamoDB access: the only module that makes boto3 calls.

The store keeps municipalities as JSON documents (attribute ``doc``), one item
each, plus the revision marker (see keys.py). It knows nothing about HTTP or
pydantic: callers hand it documents that were validated on the write path, and
botocore exceptions never leave this module — they become domain errors.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from ..domain.catchup import LogEntry
from ..domain.documents import StoredDocument
from ..domain.errors import Conflict, NotFound, StaleVersion, StoreUnavailable
from . import keys

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

log = logging.getLogger(__name__)

BATCH_GET_LIMIT = 100  # keys per BatchGetItem, DynamoDB's limit
BATCH_GET_ATTEMPTS = 5
# A change-log item lists at most this many ids (~14 bytes each, far below 400 KB);
# an import touching more is logged as "full" and containers reload in full.
MAX_LOGGED_IDS = 2000


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


class DirectoryStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self.table_name = table_name

    # -- reads -------------------------------------------------------------

    def revision(self) -> int:
        """The revision marker: one strongly consistent GetItem."""
        with dynamodb("GetItem"):
            item = self._client.get_item(
                TableName=self.table_name, Key=keys.revision_key(), ConsistentRead=True
            ).get("Item")
        return int(item["revision"]["N"]) if item else 0

    def load_documents(self, page_size: int | None = None) -> list[StoredDocument]:
        """Every municipality document, by one paginated Query over the directory partition.

        DynamoDB pages at 1 MB; page_size lowers that (tests exercise the paging with it).
        """
        documents: list[StoredDocument] = []
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": keys.DIRECTORY_PARTITION}},
            "ConsistentRead": True,
        }
        if page_size is not None:
            request["Limit"] = page_size
        while True:
            with dynamodb("Query"):
                page = self._client.query(**request)
            documents.extend(self._document(item) for item in page.get("Items", []))
            last_key = page.get("LastEvaluatedKey")
            if not last_key:
                return documents
            request["ExclusiveStartKey"] = last_key

    def get_document(self, municipality_id: str) -> StoredDocument:
        with dynamodb("GetItem"):
            item = self._client.get_item(
                TableName=self.table_name, Key=keys.municipality_key(municipality_id), ConsistentRead=True
            ).get("Item")
        if not item:
            raise NotFound(f"no municipality {municipality_id}", {"id": municipality_id})
        return self._document(item)

    def get_documents(self, municipality_ids: Sequence[str]) -> list[StoredDocument]:
        """These municipalities' documents (strongly consistent BatchGetItem); missing ones left out."""
        documents: list[StoredDocument] = []
        wanted: list[Any] = [keys.municipality_key(i) for i in dict.fromkeys(municipality_ids)]
        attempts = 0
        while wanted:
            batch, wanted = wanted[:BATCH_GET_LIMIT], wanted[BATCH_GET_LIMIT:]
            with dynamodb("BatchGetItem"):
                response = self._client.batch_get_item(
                    RequestItems={self.table_name: {"Keys": batch, "ConsistentRead": True}}
                )
            answer: dict[str, Any] = dict(response)
            items: list[dict[str, Any]] = answer.get("Responses", {}).get(self.table_name, [])
            documents.extend(self._document(item) for item in items)
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
        return documents

    def change_log(self, after: int, upto: int) -> list[LogEntry]:
        """The change-log entries of revisions after..upto (one Query; usually one item)."""
        entries: list[LogEntry] = []
        if upto <= after:
            return entries
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": {
                ":pk": {"S": keys.CHANGES_PARTITION},
                ":low": {"S": keys.change_log_sort_key(after + 1)},
                ":high": {"S": keys.change_log_sort_key(upto)},
            },
            "ConsistentRead": True,
        }
        while True:
            with dynamodb("Query"):
                page = self._client.query(**request)
            for item in page.get("Items", []):
                if item.get("full", {}).get("BOOL"):
                    continue  # too many to list: the revision counts as unlogged (full reload)
                ids = json.loads(item["ids"]["S"])
                entries.append(LogEntry(int(item["sk"]["S"]), tuple(ids)))
            last_key = page.get("LastEvaluatedKey")
            if not last_key:
                return entries
            request["ExclusiveStartKey"] = last_key

    @staticmethod
    def _document(item: dict[str, Any]) -> StoredDocument:
        return StoredDocument(
            municipality_id=keys.municipality_id_from_sort_key(item["sk"]["S"]),
            version=int(item["version"]["N"]),
            document=item["doc"]["S"],
        )

    # -- writes ------------------------------------------------------------

    def put_document(self, doc: StoredDocument, *, expected_version: int | None) -> None:
        """Write one municipality document.

        expected_version None: create only (Conflict if it exists). Otherwise the
        stored version must equal expected_version (StaleVersion if not): two
        editors never overwrite each other silently.
        """
        item = {
            **keys.municipality_key(doc.municipality_id),
            "version": {"N": str(doc.version)},
            "doc": {"S": doc.document},
        }
        if expected_version is None:
            condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        else:
            condition = {
                "ConditionExpression": "version = :expected",
                "ExpressionAttributeValues": {":expected": {"N": str(expected_version)}},
            }
        try:
            with dynamodb("PutItem"):
                self._client.put_item(TableName=self.table_name, Item=item, **condition)
        except ClientError:  # only a ConditionalCheckFailed reaches here
            if expected_version is None:
                raise Conflict(
                    f"municipality {doc.municipality_id} already exists", {"id": doc.municipality_id}
                ) from None
            raise StaleVersion(
                f"municipality {doc.municipality_id} is not at version {expected_version}",
                {"id": doc.municipality_id, "expected_version": expected_version},
            ) from None

    def delete_document(self, municipality_id: str, *, expected_version: int | None = None) -> None:
        condition: dict[str, Any] = {"ConditionExpression": "attribute_exists(pk)"}
        if expected_version is not None:
            condition = {
                "ConditionExpression": "attribute_exists(pk) AND version = :expected",
                "ExpressionAttributeValues": {":expected": {"N": str(expected_version)}},
            }
        try:
            with dynamodb("DeleteItem"):
                self._client.delete_item(
                    TableName=self.table_name, Key=keys.municipality_key(municipality_id), **condition
                )
        except ClientError:
            if expected_version is None:
                raise NotFound(f"no municipality {municipality_id}", {"id": municipality_id}) from None
            raise StaleVersion(
                f"municipality {municipality_id} is not at version {expected_version}",
                {"id": municipality_id, "expected_version": expected_version},
            ) from None

    def bump_revision(self) -> int:
        """Advance the revision marker; warm containers reload on their next check."""
        with dynamodb("UpdateItem"):
            response = self._client.update_item(
                TableName=self.table_name,
                Key=keys.revision_key(),
                UpdateExpression="ADD revision :one",
                ExpressionAttributeValues={":one": {"N": "1"}},
                ReturnValues="UPDATED_NEW",
            )
        return int(response["Attributes"]["revision"]["N"])

    def log_change(self, revision: int, municipality_ids: Sequence[str]) -> None:
        """Record which municipalities a revision wrote; too many to list is recorded as such."""
        ids = sorted(set(municipality_ids))
        item: dict[str, Any] = {**keys.change_log_key(revision)}
        if len(ids) > MAX_LOGGED_IDS:
            item["full"] = {"BOOL": True}
        else:
            item["ids"] = {"S": json.dumps(ids, separators=(",", ":"))}
        with dynamodb("PutItem"):
            self._client.put_item(TableName=self.table_name, Item=item)

    # -- table lifecycle (local runs, tests, first deployment) ---------------

    def create_table(self, wait_seconds: float = 30) -> None:
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

    def delete_table(self) -> None:
        with dynamodb("DeleteTable"):
            self._client.delete_table(TableName=self.table_name)
