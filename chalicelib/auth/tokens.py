"""Write tokens: made random, shown once, stored as SHA-256 hashes, checked on every write.

A token is ``gk_`` + 32 random bytes, URL-safe base64 (43 characters). Only its hash
is stored (storage/tokens.py), with its scope, label and optional expiry. Nothing
here logs a token, a hash or a label.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from ..domain.errors import InvalidRecord, NotFound, Unauthenticated
from ..domain.principal import Principal, valid_scope
from ..storage.tokens import TokenRecord, TokenStore

PREFIX = "gk_"
_TOKEN = re.compile(r"^gk_[A-Za-z0-9_-]{43}$")
_BEARER = re.compile(r"^Bearer ([^\s]+)$", re.IGNORECASE)
# last_used_at is a hint for admins, not an audit log: one write per token per interval.
LAST_USED_RESOLUTION = timedelta(minutes=5)
MAX_LABEL = 120


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer …` header; Unauthenticated if there is none."""
    match = _BEARER.match((authorization or "").strip())
    if not match or not _TOKEN.match(match.group(1)):
        raise Unauthenticated("send a valid token: Authorization: Bearer <token>")
    return match.group(1)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class Tokens:
    def __init__(self, store: TokenStore, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._store = store
        self._clock = clock

    def create(self, scope: str, label: str, expires_in: timedelta | None = None) -> tuple[str, TokenRecord]:
        """A new token and its record. The token is returned once and never stored."""
        label = label.strip()
        if not valid_scope(scope):
            raise InvalidRecord("scope must be 'admin' or 'municipality:<AGS>'", {"field": "scope"})
        if not label or len(label) > MAX_LABEL or not label.isprintable():
            raise InvalidRecord(f"label must be 1 to {MAX_LABEL} printable characters", {"field": "label"})
        if any(record.label == label and not self._spent(record) for record in self._store.all()):
            raise InvalidRecord("a live token has this label already; labels name tokens", {"field": "label"})
        now = self._clock()
        token = new_token()
        record = TokenRecord(
            token_hash=token_hash(token),
            token_id=secrets.token_hex(6),
            label=label,
            scope=scope,
            created_at=_iso(now),
            expires_at=_iso(now + expires_in) if expires_in else None,
        )
        self._store.add(record)
        return token, record

    def _spent(self, record: TokenRecord) -> bool:
        if record.revoked_at:
            return True
        return bool(record.expires_at) and datetime.fromisoformat(record.expires_at or "") <= self._clock()

    def verify(self, token: str) -> Principal:
        """The principal of a live token; Unauthenticated for anything else, always alike."""
        if not _TOKEN.match(token):
            raise Unauthenticated("send a valid token: Authorization: Bearer <token>")
        digest = token_hash(token)
        record = self._store.get(digest)
        # compare_digest: the lookup is by hash already; this keeps the check constant-time anyway.
        if record is None or not hmac.compare_digest(record.token_hash, digest) or self._spent(record):
            raise Unauthenticated("this token is not valid (unknown, expired or revoked)")
        now = self._clock()
        last = datetime.fromisoformat(record.last_used_at) if record.last_used_at else None
        if last is None or now - last >= LAST_USED_RESOLUTION:
            self._store.set_time(digest, "last_used_at", _iso(now))
        return Principal(record.token_id, record.label, record.scope)

    def list(self) -> list[TokenRecord]:
        return sorted(self._store.all(), key=lambda r: (r.created_at, r.token_id))

    def revoke(self, label_or_id: str) -> TokenRecord:
        """Revoke the live token with this id or label; effective on its next request."""
        live = [r for r in self._store.all() if not self._spent(r) and label_or_id in (r.token_id, r.label)]
        if not live:
            raise NotFound("no live token with that id or label")
        record = live[0]
        self._store.set_time(record.token_hash, "revoked_at", _iso(self._clock()))
        return record
