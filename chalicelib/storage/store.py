"""The directory in DynamoDB: what every reader and writer of the directory calls.

The store keeps municipalities as JSON documents (attribute ``doc``), one item each,
the revision marker and the change log (see keys.py); the pack (packs.py) and the
table's lifecycle (table.py) are reached through it too. It knows nothing about HTTP or
pydantic: callers hand it documents that were validated on the write path, and
botocore exceptions never leave the storage layer — they become domain errors (calls.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ..domain.catchup import LogEntry
from ..domain.documents import StoredDocument
from ..domain.errors import Conflict, NotFound, StaleVersion
from . import keys
from .calls import TableAccess, dynamodb, make_client
from .packs import PACK_CHUNK, Packs
from .table import Table

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# make_client and PACK_CHUNK are part of what callers import from here.
__all__ = ["PACK_CHUNK", "DirectoryStore", "make_client"]

# A container further behind than this many revisions reloads rather than reading the log.
MAX_LOG_SPAN = 100
# A change-log item lists at most this many ids (~14 bytes each, far below 400 KB);
# an import touching more is logged as "full" and containers reload in full.
MAX_LOGGED_IDS = 2000


class DirectoryStore(TableAccess):
    """Municipality documents, the revision marker, the change log; packs and table via packs.py, table.py."""

    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        super().__init__(client, table_name)
        self._packs = Packs(client, table_name)
        self._table = Table(client, table_name)

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
        options = {"Limit": page_size} if page_size is not None else {}
        items = self._query(keys.DIRECTORY_PARTITION, **options)
        return [self._document(item) for item in items]

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

    def change_log(self, after: int, upto: int) -> list[LogEntry]:
        """The change-log entries of revisions after..upto that exist (one BatchGetItem per 100).

        Their keys are known, so no Query: a container a few revisions behind reads
        exactly those. Beyond MAX_LOG_SPAN revisions behind, nothing (a full reload is
        the cheaper way to catch up then).
        """
        if upto <= after or upto - after > MAX_LOG_SPAN:
            return []
        wanted: list[Any] = [keys.change_log_key(revision) for revision in range(after + 1, upto + 1)]
        items = self._batch_get(wanted)
        entries = [entry for item in items if (entry := self._log_entry(item)) is not None]
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

    # -- the pack: the directory in a few items, for cold starts (packs.py) ------------

    def read_pack(self, pack_format: str) -> tuple[int, bytes] | None:
        """The newest pack's revision and bytes; None if there is none of this format (or a chunk is gone)."""
        return self._packs.read(pack_format)

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
            self._packs.unpack(by_key.get(keys.PACK_POINTER_SORT_KEY), pack_format),
        )

    def write_pack(self, revision: int, data: bytes, pack_format: str, chunk_bytes: int = PACK_CHUNK) -> bool:
        """Store `data` as the pack of `revision`, unless one as new or newer exists or an erasure
        came after `revision` (Packs.write). True if written."""
        return self._packs.write(revision, data, pack_format, chunk_bytes)

    def drop_packs(self, erased_at: int) -> None:
        """Delete every pack: an erasure must not live on in a copy (Packs.drop)."""
        self._packs.drop(erased_at)

    # -- table lifecycle (local runs, tests, first deployment) ---------------

    def create_table(self, wait_seconds: float = 30) -> None:
        """Create the table if it is missing and wait until it is ACTIVE."""
        self._table.create(wait_seconds)

    def delete_table(self) -> None:
        self._table.delete()
