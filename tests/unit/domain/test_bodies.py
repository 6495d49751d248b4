"""Response bodies and their strong ETags."""

from __future__ import annotations

from chalicelib.domain.bodies import Body


def test_etag_follows_content() -> None:
    assert Body.of("a").etag != Body.of("b").etag
    assert Body.of("ä").etag == Body.of("ä").etag
