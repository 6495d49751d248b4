"""Token records in DynamoDB: one item per token, addressed by the token's SHA-256.

Only hashes, scopes, labels and times are stored; the token itself never is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ..domain.errors import Conflict, NotFound
from . import keys
from .calls import TableAccess, dynamodb


@dataclass(frozen=True)
class TokenRecord:
    token_hash: str
    token_id: str  # public handle: shown in lists, names the token in revoke
    label: str
    scope: str
    created_at: str
    expires_at: str | None = None
    revoked_at: str | None = None
    last_used_at: str | None = None


_OPTIONAL = ("expires_at", "revoked_at", "last_used_at")


def _item(record: TokenRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        **keys.token_key(record.token_hash),
        "token_id": {"S": record.token_id},
        "label": {"S": record.label},
        "scope": {"S": record.scope},
        "created_at": {"S": record.created_at},
    }
    for name in _OPTIONAL:
        value = getattr(record, name)
        if value is not None:
            item[name] = {"S": value}
    return item


def _record(item: dict[str, Any]) -> TokenRecord:
    return TokenRecord(
        token_hash=item["sk"]["S"].removeprefix(keys.TOKEN_PREFIX),
        token_id=item["token_id"]["S"],
        label=item["label"]["S"],
        scope=item["scope"]["S"],
        created_at=item["created_at"]["S"],
        **{name: item[name]["S"] for name in _OPTIONAL if name in item},
    )


class TokenStore(TableAccess):
    def add(self, record: TokenRecord) -> None:
        try:
            with dynamodb("PutItem"):
                self._client.put_item(
                    TableName=self.table_name,
                    Item=_item(record),
                    ConditionExpression="attribute_not_exists(pk)",
                )
        except ClientError:
            raise Conflict("a token with this hash exists already") from None

    def get(self, token_hash: str) -> TokenRecord | None:
        with dynamodb("GetItem"):
            item = self._client.get_item(
                TableName=self.table_name, Key=keys.token_key(token_hash), ConsistentRead=True
            ).get("Item")
        return _record(item) if item else None

    def all(self) -> list[TokenRecord]:
        return [_record(item) for item in self._query(keys.TOKEN_PARTITION)]

    def set_time(self, token_hash: str, field: str, value: str) -> None:
        """Record revoked_at or last_used_at on an existing token."""
        if field not in ("revoked_at", "last_used_at"):
            raise ValueError(field)
        try:
            with dynamodb("UpdateItem"):
                self._client.update_item(
                    TableName=self.table_name,
                    Key=keys.token_key(token_hash),
                    UpdateExpression="SET #f = :v",
                    ConditionExpression="attribute_exists(pk)",
                    ExpressionAttributeNames={"#f": field},
                    ExpressionAttributeValues={":v": {"S": value}},
                )
        except ClientError:
            raise NotFound("no such token") from None
