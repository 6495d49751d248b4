"""DynamoDB access: the only module that makes boto3 calls.

The store keeps municipalities as JSON documents (attribute ``doc``), one item
each, plus the revision marker (see keys.py). It knows nothing about HTTP or
pydantic: callers hand it documents that were validated on the write path, and
botocore exceptions never leave this module — they become domain errors.
"""

from __future__ import annotations

import hashlib
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
# Pack chunks stay well below DynamoDB's 400 KB item limit.
PACK_CHUNK = 350_000
# A container further behind than this many revisions reloads rather than reading the log.
MAX_LOG_SPAN = 100
# A change-log item lists at most this many ids (~14 bytes each, far below 400 KB);
# an import touching more is logged as "full" and containers reload in full.
MAX_LOGGED_IDS = 2000
# A pack replaces the pointer only if it is newer than the pack there, and not older than
# the last erasure (drop_packs): a load that read documents before an erasure packs nothing.
PACK_WRITE_CONDITION = (
    "(attribute_not_exists(revision) OR revision < :revision"
    " OR attribute_not_exists(pack_format) OR pack_format <> :format)"
    " AND (attribute_not_exists(erased_at) OR erased_at <= :revision)"
)


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
        return self.marker()[0]

    def marker(self) -> tuple[int, tuple[str, ...] | None]:
        """The revision marker and the municipalities its revision wrote (None: not recorded).

        One strongly consistent GetItem: a container one revision behind learns from it
        both that it is behind and what to read.
        """
        with dynamodb("GetItem"):
            item = self._client.get_item(
                TableName=self.table_name, Key=keys.revision_key(), ConsistentRead=True
            ).get("Item")
        return self._marker_of(item)

    @staticmethod
    def _marker_of(item: dict[str, Any] | None) -> tuple[int, tuple[str, ...] | None]:
        if not item:
            return 0, None
        latest = item.get("latest", {}).get("S")
        return int(item["revision"]["N"]), tuple(json.loads(latest)) if latest is not None else None

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
        """These municipalities' documents, strongly consistent; missing ones left out.

        One GetItem for one (the usual catch-up), BatchGetItem for more.
        """
        unique = list(dict.fromkeys(municipality_ids))
        if len(unique) == 1:
            try:
                return [self.get_document(unique[0])]
            except NotFound:
                return []
        wanted: list[Any] = [keys.municipality_key(i) for i in unique]
        return [self._document(item) for item in self._batch_get(wanted)]

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

    def change_log(self, after: int, upto: int) -> list[LogEntry]:
        """The change-log entries of revisions after..upto that exist (one BatchGetItem per 100).

        Their keys are known, so no Query: a container a few revisions behind reads
        exactly those. Beyond MAX_LOG_SPAN revisions behind, nothing (a full reload is
        the cheaper way to catch up then).
        """
        if upto <= after or upto - after > MAX_LOG_SPAN:
            return []
        wanted: list[Any] = [keys.change_log_key(revision) for revision in range(after + 1, upto + 1)]
        entries = [entry for item in self._batch_get(wanted) if (entry := self._log_entry(item)) is not None]
        return sorted(entries, key=lambda entry: entry.revision)

    @staticmethod
    def _log_entry(item: dict[str, Any]) -> LogEntry | None:
        if "ids" not in item:
            return None  # too many to list: the revision counts as unlogged (full reload)
        return LogEntry(int(item["sk"]["S"]), tuple(json.loads(item["ids"]["S"])))

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

    def bump_revision(self, municipality_ids: Sequence[str] | None = None) -> int:
        """Advance the revision marker; warm containers catch up or reload on their next check.

        The marker also says which municipalities its revision wrote (`latest`), in the
        same atomic update: a container one revision behind needs no log read. None (or
        too many to list) records nothing, and containers then read the log or reload.
        """
        ids = sorted(set(municipality_ids)) if municipality_ids is not None else None
        values: dict[str, Any] = {":one": {"N": "1"}}
        if ids is not None and len(ids) <= MAX_LOGGED_IDS:
            expression = "ADD revision :one SET latest = :ids"
            values[":ids"] = {"S": json.dumps(ids, separators=(",", ":"))}
        else:
            expression = "ADD revision :one REMOVE latest"
        with dynamodb("UpdateItem"):
            response = self._client.update_item(
                TableName=self.table_name,
                Key=keys.revision_key(),
                UpdateExpression=expression,
                ExpressionAttributeValues=values,
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

    # -- the pack: the directory in a few items, for cold starts --------------------

    def read_pack(self, pack_format: str) -> tuple[int, bytes] | None:
        """The newest pack's revision and bytes; None if there is none of this format (or a chunk is gone)."""
        with dynamodb("GetItem"):
            pointer = self._client.get_item(
                TableName=self.table_name, Key=keys.pack_pointer_key(), ConsistentRead=True
            ).get("Item")
        return self._unpack(pointer, pack_format)

    def marker_and_pack(
        self, pack_format: str
    ) -> tuple[tuple[int, tuple[str, ...] | None], tuple[int, bytes] | None]:
        """The marker and the newest pack in one round trip (a cold start's first read).

        The two come back in no particular order; a pack newer than the marker is
        the caller's to refuse (the marker must not be older than what it loads).
        """
        items = self._batch_get([keys.revision_key(), keys.pack_pointer_key()])
        by_key = {item["sk"]["S"]: item for item in items}
        return (
            self._marker_of(by_key.get(keys.REVISION_SORT_KEY)),
            self._unpack(by_key.get(keys.PACK_POINTER_SORT_KEY), pack_format),
        )

    def _unpack(self, pointer: dict[str, Any] | None, pack_format: str) -> tuple[int, bytes] | None:
        if not pointer or "data" not in pointer:
            return None  # none yet, or dropped by an erasure (only `erased_at` is left)
        revision, chunks = int(pointer["revision"]["N"]), int(pointer["chunks"]["N"])
        if pointer.get("pack_format", {}).get("S") != pack_format:
            # Made by other code (an older deployment): ignored, never misread; the next
            # full load packs afresh.
            log.info("pack of revision %s is of another format: loading the directory instead", revision)
            return None
        tag = pointer.get("tag", {}).get("S", "")
        data = [bytes(pointer["data"]["B"])]
        if chunks > 1:
            wanted: list[Any] = [keys.pack_chunk_key(revision, tag, n) for n in range(1, chunks)]
            found = {item["sk"]["S"]: bytes(item["data"]["B"]) for item in self._batch_get(wanted)}
            ordered = [found.get(key["sk"]["S"]) for key in wanted]
            if any(chunk is None for chunk in ordered):
                log.warning("pack of revision %s is incomplete: loading the directory instead", revision)
                return None
            data.extend(chunk for chunk in ordered if chunk is not None)
        return revision, b"".join(data)

    def write_pack(self, revision: int, data: bytes, pack_format: str, chunk_bytes: int = PACK_CHUNK) -> bool:
        """Store `data` (domain/packs.py) as the pack of `revision`, unless one as new or newer
        exists or an erasure came after `revision`.

        Chunks first, then the pointer (conditional: packs only move forward, but one of
        another format is replaced), so a reader never follows a pointer to chunks that
        are not there yet. True if written. A full load that read its documents before an
        erasure must not pack them after the erasure dropped the packs: its revision is
        older than the erasure's, which drop_packs left on the pointer (`erased_at`), and
        the pointer's condition refuses it.
        """
        pieces = [data[at : at + chunk_bytes] for at in range(0, len(data), chunk_bytes)] or [b""]
        tag = hashlib.sha256(data).hexdigest()[:16]
        for n, piece in enumerate(pieces[1:], start=1):
            with dynamodb("PutItem"):
                self._client.put_item(
                    TableName=self.table_name,
                    Item={**keys.pack_chunk_key(revision, tag, n), "data": {"B": piece}},
                )
        item: dict[str, Any] = {
            **keys.pack_pointer_key(),
            "revision": {"N": str(revision)},
            "chunks": {"N": str(len(pieces))},
            "pack_format": {"S": pack_format},
            "tag": {"S": tag},
            "data": {"B": pieces[0]},
        }
        try:
            with dynamodb("PutItem"):
                self._client.put_item(
                    TableName=self.table_name,
                    Item=item,
                    ConditionExpression=PACK_WRITE_CONDITION,
                    ExpressionAttributeValues={
                        ":revision": {"N": str(revision)},
                        ":format": {"S": pack_format},
                    },
                )
        except ClientError:  # only a ConditionalCheckFailed reaches here: newer pack, or erasure
            self._discard_chunks(revision, tag, len(pieces))
            return False
        self._delete_pack_chunks(
            keep=keys.pack_chunk_prefix(revision, tag)
        )  # older packs hold what was since erased
        return True

    def _discard_chunks(self, revision: int, tag: str, count: int) -> None:
        """A refused pack's chunks, unless the pack standing is of the same revision (its chunks)."""
        with dynamodb("GetItem"):
            pointer = self._client.get_item(
                TableName=self.table_name, Key=keys.pack_pointer_key(), ConsistentRead=True
            ).get("Item")
        if pointer and "data" in pointer and pointer.get("tag", {}).get("S") == tag:
            return  # the same pack (same revision, same bytes) stands: its chunks are ours
        for n in range(1, count):
            with dynamodb("DeleteItem"):
                self._client.delete_item(TableName=self.table_name, Key=keys.pack_chunk_key(revision, tag, n))

    def drop_packs(self, erased_at: int) -> None:
        """Delete every pack: an erasure must not live on in a copy (cold starts load in full).

        The pointer keeps the erasure's revision (`erased_at`, the highest one), so no
        load that began before the erasure can pack afterwards (write_pack's condition).
        """
        with dynamodb("UpdateItem"):
            try:
                self._client.update_item(
                    TableName=self.table_name,
                    Key=keys.pack_pointer_key(),
                    UpdateExpression="SET erased_at = :erased REMOVE #data, chunks",
                    ConditionExpression="attribute_not_exists(erased_at) OR erased_at < :erased",
                    ExpressionAttributeNames={"#data": "data"},
                    ExpressionAttributeValues={":erased": {"N": str(erased_at)}},
                )
            except ClientError:  # a later erasure is recorded already: just drop the pack
                self._client.update_item(
                    TableName=self.table_name,
                    Key=keys.pack_pointer_key(),
                    UpdateExpression="REMOVE #data, chunks",
                    ExpressionAttributeNames={"#data": "data"},
                )
        self._delete_pack_chunks(keep=None)

    def _delete_pack_chunks(self, keep: str | None) -> None:
        prefix = keep
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": keys.PACK_PARTITION}},
            "ProjectionExpression": "pk, sk",
            "ConsistentRead": True,
        }
        while True:
            with dynamodb("Query"):
                page = self._client.query(**request)
            for item in page.get("Items", []):
                if prefix is None or not item["sk"]["S"].startswith(prefix):
                    with dynamodb("DeleteItem"):
                        self._client.delete_item(
                            TableName=self.table_name, Key={"pk": item["pk"], "sk": item["sk"]}
                        )
            if not page.get("LastEvaluatedKey"):
                return
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

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
