"""The pack: the built snapshot at one revision in a few items, for cold starts (keys.py).

Chunks first, then the pointer, conditional (PACK_WRITE_CONDITION), so packs only move
forward and none is written from documents read before the last erasure (drop).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from botocore.exceptions import ClientError

from . import keys
from .calls import TableAccess, dynamodb

log = logging.getLogger(__name__)

# Pack chunks stay well below DynamoDB's 400 KB item limit.
PACK_CHUNK = 350_000
# A pack replaces the pointer only if it is newer than the pack there, and not older than
# the last erasure (drop): a load that read documents before an erasure packs nothing.
PACK_WRITE_CONDITION = (
    "(attribute_not_exists(revision) OR revision < :revision"
    " OR attribute_not_exists(pack_format) OR pack_format <> :format)"
    " AND (attribute_not_exists(erased_at) OR erased_at <= :revision)"
)


class Packs(TableAccess):
    def read(self, pack_format: str) -> tuple[int, bytes] | None:
        """The newest pack's revision and bytes; None if there is none of this format (or a chunk is gone)."""
        with dynamodb("GetItem"):
            pointer = self._client.get_item(
                TableName=self.table_name, Key=keys.pack_pointer_key(), ConsistentRead=True
            ).get("Item")
        return self.unpack(pointer, pack_format)

    def unpack(self, pointer: dict[str, Any] | None, pack_format: str) -> tuple[int, bytes] | None:
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
            items = self._batch_get(wanted)
            found = {item["sk"]["S"]: bytes(item["data"]["B"]) for item in items}
            ordered = [found.get(key["sk"]["S"]) for key in wanted]
            if any(chunk is None for chunk in ordered):
                log.warning("pack of revision %s is incomplete: loading the directory instead", revision)
                return None
            data.extend(chunk for chunk in ordered if chunk is not None)
        return revision, b"".join(data)

    def write(self, revision: int, data: bytes, pack_format: str, chunk_bytes: int = PACK_CHUNK) -> bool:
        """Store `data` (domain/packs.py) as the pack of `revision`, unless one as new or newer
        exists or an erasure came after `revision`.

        Chunks first, then the pointer (conditional: packs only move forward, but one of
        another format is replaced), so a reader never follows a pointer to chunks that
        are not there yet. True if written. A full load that read its documents before an
        erasure must not pack them after the erasure dropped the packs: its revision is
        older than the erasure's, which drop left on the pointer (`erased_at`), and
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

    def drop(self, erased_at: int) -> None:
        """Delete every pack: an erasure must not live on in a copy (cold starts load in full).

        The pointer keeps the erasure's revision (`erased_at`, the highest one), so no
        load that began before the erasure can pack afterwards (write's condition).
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
        """Delete every chunk item, but those of the pack whose chunk keys start with `keep`."""
        for item in self._query(keys.PACK_PARTITION, ProjectionExpression="pk, sk"):
            if keep is None or not item["sk"]["S"].startswith(keep):
                with dynamodb("DeleteItem"):
                    key = {"pk": item["pk"], "sk": item["sk"]}
                    self._client.delete_item(TableName=self.table_name, Key=key)
