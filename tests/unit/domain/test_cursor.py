"""Cursor decoding refuses what JSON allows but a sort key never holds."""

from __future__ import annotations

import base64

import pytest

from chalicelib.domain import cursor
from chalicelib.domain.cursor import decode_cursor, encode_cursor
from chalicelib.domain.errors import InvalidParameter


def _raw(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def test_a_genuine_cursor_decodes_to_its_key() -> None:
    assert decode_cursor(encode_cursor((3, "contact", "c-1"), "ff"), "ff", 3) == (3, "contact", "c-1")


@pytest.mark.parametrize("literal", ["Infinity", "-Infinity", "NaN", "1e309", "-1e400"])
def test_non_finite_numbers_are_invalid(literal: str) -> None:
    with pytest.raises(InvalidParameter):
        decode_cursor(_raw(f'{{"f":"ff","k":[{literal},"a","b"]}}'), "ff", 3)


def test_deep_nesting_is_invalid_even_below_the_length_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    # The length cap alone refuses this; without it the decoder's recursion limit must not leak.
    monkeypatch.setattr(cursor, "MAX_CURSOR_LENGTH", 10**6)
    nested = "[" * 100_000 + "]" * 100_000
    with pytest.raises(InvalidParameter):
        decode_cursor(_raw(f'{{"f":"ff","k":{nested}}}'), "ff", 3)


def test_cursors_longer_than_the_cap_are_invalid() -> None:
    long_key = (1, "x" * cursor.MAX_CURSOR_LENGTH, "c-1")
    with pytest.raises(InvalidParameter):
        decode_cursor(encode_cursor(long_key, "ff"), "ff", 3)
