"""The directory store in memory: DirectoryStore's behaviour without DynamoDB, for unit tests.

Proven, not assumed: tests/contract/test_store.py runs the store's contract suite on it as
on moto and dynalite — conditional writes refused alike (Conflict, StaleVersion), the marker
and its `latest`, the change log, packs that only move forward and never past an erasure.
It speaks StoredDocument, never DynamoDB items: what it fakes is the store, not the client.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, cast

from chalicelib.domain.catchup import LogEntry
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.errors import Conflict, NotFound, StaleVersion
from chalicelib.storage.packs import PACK_CHUNK
from chalicelib.storage.store import MAX_LOG_SPAN, MAX_LOGGED_IDS, DirectoryStore


class MemoryStore:
    def __init__(self, table_name: str = "gk-memory") -> None:
        self.table_name = table_name
        self._documents: dict[str, StoredDocument] = {}
        self._revision = 0
        self._latest: tuple[str, ...] | None = None
        self._log: dict[int, tuple[str, ...] | None] = {}
        self._pointer: dict[str, Any] = {}  # the pack pointer's attributes
        self._lock = threading.Lock()  # one item write at a time, as DynamoDB's are atomic

    def as_store(self) -> DirectoryStore:
        """This store where a DirectoryStore is expected (the contract suite vouches for it)."""
        return cast(DirectoryStore, self)

    # -- reads ---------------------------------------------------------------

    def revision(self) -> int:
        return self._revision

    def marker(self) -> tuple[int, tuple[str, ...] | None]:
        return self._revision, self._latest

    def load_documents(self, page_size: int | None = None) -> list[StoredDocument]:
        return [self._documents[key] for key in sorted(self._documents)]

    def get_document(self, municipality_id: str) -> StoredDocument:
        found = self._documents.get(municipality_id)
        if found is None:
            raise NotFound(f"no municipality {municipality_id}", {"id": municipality_id})
        return found

    def get_documents(self, municipality_ids: Sequence[str]) -> list[StoredDocument]:
        return [self._documents[i] for i in dict.fromkeys(municipality_ids) if i in self._documents]

    def change_log(self, after: int, upto: int) -> list[LogEntry]:
        if upto <= after or upto - after > MAX_LOG_SPAN:
            return []
        wanted = range(after + 1, upto + 1)
        return [LogEntry(r, ids) for r in wanted if (ids := self._log.get(r)) is not None]

    # -- writes --------------------------------------------------------------

    def put_document(self, doc: StoredDocument, *, expected_version: int | None) -> None:
        with self._lock:
            stored = self._documents.get(doc.municipality_id)
            if expected_version is None and stored is not None:
                raise Conflict(
                    f"municipality {doc.municipality_id} already exists", {"id": doc.municipality_id}
                )
            if expected_version is not None and (stored is None or stored.version != expected_version):
                raise StaleVersion(
                    f"municipality {doc.municipality_id} is not at version {expected_version}",
                    {"id": doc.municipality_id, "expected_version": expected_version},
                )
            self._documents[doc.municipality_id] = doc

    def delete_document(self, municipality_id: str, *, expected_version: int | None = None) -> None:
        with self._lock:
            stored = self._documents.get(municipality_id)
            if stored is None and expected_version is None:
                raise NotFound(f"no municipality {municipality_id}", {"id": municipality_id})
            if stored is None or (expected_version is not None and stored.version != expected_version):
                raise StaleVersion(f"municipality {municipality_id} is not at version {expected_version}")
            del self._documents[municipality_id]

    def bump_revision(self, municipality_ids: Sequence[str] | None = None) -> int:
        with self._lock:
            ids = sorted(set(municipality_ids)) if municipality_ids is not None else None
            self._revision += 1
            self._latest = tuple(ids) if ids is not None and len(ids) <= MAX_LOGGED_IDS else None
            return self._revision

    def log_change(self, revision: int, municipality_ids: Sequence[str]) -> None:
        ids = sorted(set(municipality_ids))
        self._log[revision] = tuple(ids) if len(ids) <= MAX_LOGGED_IDS else None

    # -- the pack ------------------------------------------------------------

    def read_pack(self, pack_format: str) -> tuple[int, bytes] | None:
        pointer = self._pointer
        if "data" not in pointer or pointer["format"] != pack_format:
            return None
        return pointer["revision"], pointer["data"]

    def marker_and_pack(
        self, pack_format: str
    ) -> tuple[tuple[int, tuple[str, ...] | None], tuple[int, bytes] | None]:
        return self.marker(), self.read_pack(pack_format)

    def write_pack(self, revision: int, data: bytes, pack_format: str, chunk_bytes: int = PACK_CHUNK) -> bool:
        with self._lock:
            pointer = self._pointer
            format_ = pointer.get("format")
            newer = "revision" not in pointer or pointer["revision"] < revision or format_ != pack_format
            if not newer or pointer.get("erased_at", revision) > revision:
                return False  # packs.PACK_WRITE_CONDITION
            self._pointer = {"revision": revision, "format": pack_format, "data": bytes(data)}
            if "erased_at" in pointer:
                self._pointer["erased_at"] = pointer["erased_at"]
            return True

    def drop_packs(self, erased_at: int) -> None:
        with self._lock:
            self._pointer.pop("data", None)
            self._pointer["erased_at"] = max(erased_at, self._pointer.get("erased_at", erased_at))

    # -- table lifecycle -----------------------------------------------------

    def create_table(self, wait_seconds: float = 30) -> None:
        return None  # always there

    def delete_table(self) -> None:
        self._documents.clear()
        self._log.clear()
        self._pointer = {}
        self._revision, self._latest = 0, None
