"""The table's key layout: the only place that knows how items are addressed.

One table, string keys `pk` and `sk`:

- every municipality is one item in the single partition ``DIRECTORY``, sort key
  ``MUNICIPALITY#<ags>``. Offices and contacts live inside their municipality's
  document, so a write is one atomic item and no transaction is ever needed;
  the whole directory loads with one paginated Query.
- the revision marker is ``META`` / ``REVISION``: a counter every write bumps, so
  a warm container learns with one GetItem whether its snapshot is stale.
- the change log: one item per settled revision in the partition ``CHANGES``, sort key
  the revision zero-padded to 20 digits (so string order is numeric order), holding
  the ids of the municipalities that revision wrote. Warm containers read the entries
  after their own revision to apply just those municipalities (domain/catchup.py).
- the pack: the built snapshot at one revision, compressed (domain/packs.py), so a cold
  start reads a few large items instead of paging through every document. ``META``/``PACK``
  points at the newest pack (its revision, format, tag, chunk count, the first chunk
  inline); further chunks are ``PACK``/``<revision, 20 digits>#<tag>#<chunk, 4 digits>``,
  the tag a digest of the pack's bytes, so two containers packing one revision never
  overwrite each other's chunks.
- every write token is one item in the partition ``TOKEN``, sort key
  ``TOKEN#<sha256 of the token>``: the token itself is never stored, and the hash
  is looked up with one GetItem.
"""

from __future__ import annotations

DIRECTORY_PARTITION = "DIRECTORY"
MUNICIPALITY_PREFIX = "MUNICIPALITY#"
META_PARTITION = "META"
REVISION_SORT_KEY = "REVISION"
CHANGES_PARTITION = "CHANGES"
PACK_PARTITION = "PACK"
PACK_POINTER_SORT_KEY = "PACK"
TOKEN_PARTITION = "TOKEN"  # noqa: S105 - a key prefix, not a secret
TOKEN_PREFIX = "TOKEN#"  # noqa: S105


def municipality_key(municipality_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": DIRECTORY_PARTITION}, "sk": {"S": MUNICIPALITY_PREFIX + municipality_id}}


def revision_key() -> dict[str, dict[str, str]]:
    return {"pk": {"S": META_PARTITION}, "sk": {"S": REVISION_SORT_KEY}}


def change_log_sort_key(revision: int) -> str:
    return f"{revision:020d}"


def change_log_key(revision: int) -> dict[str, dict[str, str]]:
    return {"pk": {"S": CHANGES_PARTITION}, "sk": {"S": change_log_sort_key(revision)}}


def pack_pointer_key() -> dict[str, dict[str, str]]:
    return {"pk": {"S": META_PARTITION}, "sk": {"S": PACK_POINTER_SORT_KEY}}


def pack_chunk_prefix(revision: int, tag: str) -> str:
    return f"{revision:020d}#{tag}#"


def pack_chunk_key(revision: int, tag: str, chunk: int) -> dict[str, dict[str, str]]:
    return {"pk": {"S": PACK_PARTITION}, "sk": {"S": f"{pack_chunk_prefix(revision, tag)}{chunk:04d}"}}


def token_key(token_hash: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": TOKEN_PARTITION}, "sk": {"S": TOKEN_PREFIX + token_hash}}


def municipality_id_from_sort_key(sort_key: str) -> str:
    return sort_key.removeprefix(MUNICIPALITY_PREFIX)


TABLE_DEFINITION = {
    "AttributeDefinitions": [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "S"},
    ],
    "KeySchema": [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ],
    "BillingMode": "PAY_PER_REQUEST",
}
