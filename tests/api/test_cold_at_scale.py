"""At 10,000 municipalities no cold start loads the directory from its documents (issue 21.4).

An import leaves a pack of what it imported, and a write that erases someone (which
drops every pack, since a pack is a copy of personal data) leaves a fresh one before it
answers: the next cold start reads the marker and the pack — counted here by what it
asks DynamoDB for, not by how long it takes.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import boto3
import pytest

from chalicelib import bootstrap
from chalicelib.domain.directory import Directory
from chalicelib.domain.edits import Preconditions
from chalicelib.domain.links import Links
from chalicelib.domain.principal import Principal
from chalicelib.storage.store import DirectoryStore
from chalicelib.write.writer import DirectoryWriter
from tests.support.emulators import configure_service, make_store
from tests.support.synthetic import Synthetic

SCALE = 10_000
ADMIN = Principal("t-scale", "scale test", "admin")


def _cold_start(store: DirectoryStore) -> tuple[Directory, Counter[str], set[str]]:
    """A new container's first load, with every call it made and every partition it read."""
    client = boto3.client(
        "dynamodb", endpoint_url=store._client.meta.endpoint_url, region_name="eu-central-1"
    )
    calls: Counter[str] = Counter()
    partitions: set[str] = set()

    def seen(model: Any, params: dict[str, Any], **_: Any) -> None:
        calls.update([model.name])
        for request in params.get("RequestItems", {}).values():
            partitions.update(key["pk"]["S"] for key in request.get("Keys", []))
        if "KeyConditionExpression" in params:
            partitions.update(
                v["S"] for v in params.get("ExpressionAttributeValues", {}).values() if "S" in v
            )

    client.meta.events.register("before-call.dynamodb", seen)
    directory = Directory(DirectoryStore(client, store.table_name), Links(""), refresh_seconds=30)
    directory.current()
    return directory, calls, partitions


@pytest.fixture
def big(moto_endpoint: str) -> Any:
    store = make_store(moto_endpoint)
    synthetic = Synthetic(seed=21)
    DirectoryWriter(store).import_all([synthetic.model(contacts=1) for _ in range(SCALE)])
    yield store
    store.delete_table()


def test_no_cold_start_at_10k_loads_the_documents_after_an_import_or_an_erasure(
    big: DirectoryStore, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    after_import, calls, partitions = _cold_start(big)
    assert (after_import.pack_loads, after_import.full_loads) == (1, 0)
    assert calls["Query"] == 0 and partitions <= {"META", "PACK"}  # no document read
    snapshot = after_import.current(check=False).snapshot
    assert len(snapshot.municipalities) == SCALE

    # An editor deletes a contact through the service (bootstrap's editor, as deployed).
    configure_service(monkeypatch, moto_endpoint, big.table_name)
    try:
        contact_id = next(iter(snapshot.contacts))
        bootstrap.editor().delete_contact(ADMIN, contact_id, Preconditions("*"))
    finally:
        bootstrap.reset()

    after_erasure, calls, partitions = _cold_start(big)
    assert (after_erasure.pack_loads, after_erasure.full_loads) == (1, 0)
    assert calls["Query"] == 0 and partitions <= {"META", "PACK"}
    erased = after_erasure.current(check=False).snapshot
    assert erased.revision == big.revision()
    assert contact_id not in erased.contacts and contact_id not in erased.owners
