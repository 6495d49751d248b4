"""Responses: cacheable bodies with ETags, conditional GETs, caching and CORS headers.

Every successful response the API sends is built here, so the headers a widget
relies on (ETag, Cache-Control, open CORS) cannot drift apart between routes.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from chalice import Response

from ..domain.bodies import Body, to_json
from ..domain.freshness import Freshness

JSON_TYPE = "application/json; charset=utf-8"

# Widgets run on any origin and only read; credentials are never involved, so
# the wildcard is the honest answer. The exposed headers let browser code see
# revisions, staleness and download names.
EXPOSED_HEADERS = ["ETag", "X-Directory-Revision", "X-Directory-Stale", "Content-Disposition"]
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": ", ".join(EXPOSED_HEADERS),
}

# Chalice's Response takes multi-valued headers too; ours are all single-valued.
HeaderMap = dict[str, str | list[str]]


def matches_etag(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison over a list, or '*'."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


def cache_headers(freshness: Freshness) -> HeaderMap:
    return dict(_cache_headers(freshness))


@lru_cache(maxsize=16)
def _cache_headers(freshness: Freshness) -> HeaderMap:
    # Few distinct Freshness values live at once (revision × stale); copy, never share.
    max_age = freshness.max_age
    headers: HeaderMap = {
        **CORS_HEADERS,
        "Cache-Control": f"public, max-age={max_age}, stale-while-revalidate={max_age * 5}",
        "X-Directory-Revision": str(freshness.revision),
    }
    if freshness.stale:
        headers["X-Directory-Stale"] = "true"
    return headers


def conditional(
    body: Body, request_headers: Mapping[str, str], headers: HeaderMap, content_type: str
) -> Response:
    """The one 304 path: 304 when the client holds this body's ETag, else 200 with it."""
    headers["ETag"] = body.etag
    if matches_etag(request_headers.get("if-none-match"), body.etag):
        return Response(body="", status_code=304, headers=headers)
    headers["Content-Type"] = content_type
    return Response(body=body.text, status_code=200, headers=headers)


def respond(
    body: Body,
    request_headers: Mapping[str, str],
    freshness: Freshness,
    content_type: str = JSON_TYPE,
    extra_headers: Mapping[str, str] | None = None,
) -> Response:
    """A cacheable 200 of directory data, or a 304 when the client already holds this body."""
    headers = cache_headers(freshness)
    if extra_headers:
        headers.update(extra_headers)
    return conditional(body, request_headers, headers, content_type)


def uncached_json(value: Any, status: int = 200, extra_headers: Mapping[str, str] | None = None) -> Response:
    """JSON that no cache may keep (health, errors)."""
    headers: HeaderMap = {**CORS_HEADERS, "Content-Type": JSON_TYPE, "Cache-Control": "no-store"}
    if extra_headers:
        headers.update(extra_headers)
    return Response(body=to_json(value), status_code=status, headers=headers)
