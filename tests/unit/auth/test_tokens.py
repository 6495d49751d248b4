"""Tokens: random, shown once, stored as hashes, verified alike whatever is wrong with them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.auth.tokens import Tokens, bearer_token, new_token, token_hash
from chalicelib.domain.errors import InvalidRecord, NotFound, Unauthenticated
from chalicelib.storage.tokens import TokenRecord


class MemoryTokens:
    """The TokenStore's interface over a dict: what Tokens does with it, without DynamoDB."""

    def __init__(self) -> None:
        self.records: dict[str, TokenRecord] = {}

    def add(self, record: TokenRecord) -> None:
        assert record.token_hash not in self.records
        self.records[record.token_hash] = record

    def get(self, digest: str) -> TokenRecord | None:
        return self.records.get(digest)

    def all(self) -> list[TokenRecord]:
        return list(self.records.values())

    def set_time(self, digest: str, field: str, value: str) -> None:
        from dataclasses import replace

        self.records[digest] = replace(self.records[digest], **{field: value})


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store() -> MemoryTokens:
    return MemoryTokens()


@pytest.fixture
def tokens(store: MemoryTokens, clock: Clock) -> Tokens:
    return Tokens(store, clock=clock)  # type: ignore[arg-type]


def test_tokens_are_long_random_and_url_safe() -> None:
    made = {new_token() for _ in range(200)}
    assert len(made) == 200
    for token in made:
        assert token.startswith("gk_")
        assert len(token) == 46  # 32 bytes of randomness, base64url
        assert all(c.isalnum() or c in "-_" for c in token[3:])


def test_only_the_hash_is_stored(tokens: Tokens, store: MemoryTokens) -> None:
    token, record = tokens.create("municipality:05566", "Kreis Steinfurt")
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest() == token_hash(token)
    stored = repr(store.all())
    assert token not in stored
    assert token[3:] not in stored


def test_verify_gives_the_principal_and_notes_the_use(
    tokens: Tokens, store: MemoryTokens, clock: Clock
) -> None:
    token, record = tokens.create("municipality:05566", "Kreis Steinfurt")
    principal = tokens.verify(token)
    assert (principal.token_id, principal.label, principal.scope) == (
        record.token_id,
        "Kreis Steinfurt",
        record.scope,
    )
    assert principal.may_write("05566") and not principal.may_write("05515")
    used = store.get(record.token_hash)
    assert used is not None and used.last_used_at == clock.now.isoformat(timespec="seconds")


def test_every_bad_token_is_refused_with_the_same_words(tokens: Tokens, clock: Clock) -> None:
    expiring, _ = tokens.create("admin", "short", expires_in=timedelta(hours=1))
    revoked, _ = tokens.create("admin", "gone")
    tokens.revoke("gone")
    clock.now += timedelta(hours=2)
    messages = set()
    for token in (expiring, revoked, new_token(), "gk_short", ""):
        with pytest.raises(Unauthenticated) as refused:
            tokens.verify(token)
        messages.add((refused.value.message, str(refused.value.details)))
    assert len(messages) <= 2  # malformed vs. not valid — never which of unknown, expired, revoked
    with pytest.raises(Unauthenticated) as unknown:
        tokens.verify(new_token())
    with pytest.raises(Unauthenticated) as spent:
        tokens.verify(revoked)
    assert unknown.value.message == spent.value.message


def test_revoke_by_label_or_id_and_only_live_ones(tokens: Tokens) -> None:
    first, record = tokens.create("admin", "eins")
    tokens.revoke(record.token_id)
    with pytest.raises(Unauthenticated):
        tokens.verify(first)
    with pytest.raises(NotFound):
        tokens.revoke("eins")
    # a revoked label may be used again
    again, _ = tokens.create("admin", "eins")
    assert tokens.verify(again).label == "eins"


@pytest.mark.parametrize(
    ("scope", "label"),
    [("root", "x"), ("municipality:5566", "x"), ("municipality:", "x"), ("admin", ""), ("admin", "a\nb")],
)
def test_scopes_and_labels_are_checked(tokens: Tokens, scope: str, label: str) -> None:
    with pytest.raises(InvalidRecord):
        tokens.create(scope, label)


def test_a_live_label_names_one_token(tokens: Tokens) -> None:
    tokens.create("admin", "Initiative")
    with pytest.raises(InvalidRecord):
        tokens.create("admin", "Initiative")


@pytest.mark.parametrize(
    ("header", "ok"),
    [
        ("Bearer gk_" + "a" * 43, True),
        ("bearer gk_" + "a" * 43, True),
        ("Bearer  gk_" + "a" * 43, False),
        ("Basic gk_" + "a" * 43, False),
        ("Bearer gk_" + "a" * 42, False),
        ("Bearer " + "a" * 46, False),
        (None, False),
    ],
)
def test_bearer_header_form(header: str | None, ok: bool) -> None:
    if ok:
        assert header is not None and bearer_token(header) == header.split(" ", 1)[1]
    else:
        with pytest.raises(Unauthenticated):
            bearer_token(header)
