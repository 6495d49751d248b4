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
from .requests import header

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


class CacheableResponse(Response):
    """A read's answer whose cache and CORS headers join it only as it leaves for Lambda.

    Those five headers are the same for every answer from one snapshot (one shared dict),
    yet Chalice looks at a response's `headers` three times per request — to learn its
    Content-Type — and with them among the rest that was a tenth of a widget's warm read
    (`make bench`, detail_73_vs_bare). So `headers` holds what Chalice reads and what
    differs per answer (Content-Type, ETag, Vary, ...); `shared_headers` are joined in
    `to_dict`, the answer Lambda sends, where a header of the answer's own wins.
    """

    def __init__(self, body: str, status_code: int, headers: HeaderMap, shared_headers: HeaderMap) -> None:
        super().__init__(body=body, status_code=status_code, headers=headers)
        self.shared_headers = shared_headers

    def to_dict(self, binary_types: list[str] | None = None) -> dict[str, Any]:
        answer = super().to_dict(binary_types)
        answer["headers"] = {**self.shared_headers, **answer["headers"]}
        return answer


def every_header(response: Response) -> HeaderMap:
    """All headers a response will send, shared ones included (web/head.py copies them)."""
    if isinstance(response, CacheableResponse):
        return {**response.shared_headers, **response.headers}
    return dict(response.headers)


def respond(
    body: Body,
    request_headers: Mapping[str, str],
    freshness: Freshness,
    content_type: str = JSON_TYPE,
    extra_headers: Mapping[str, str] | None = None,
) -> Response:
    """A cacheable 200 of directory data, or a 304 when the client already holds this body."""
    shared = _cache_headers(freshness)  # never changed: to_dict copies it into each answer
    if matches_etag(header(request_headers, "if-none-match"), body.etag):
        headers: HeaderMap = {"ETag": body.etag, **(extra_headers or {})}
        return CacheableResponse("", 304, headers, shared)  # a 304 has no body to be of a type
    headers = {"Content-Type": content_type, "ETag": body.etag, **(extra_headers or {})}
    return CacheableResponse(body.text, 200, headers, shared)


def uncached_headers() -> HeaderMap:
    """The headers of JSON that no cache may keep: a new dict each time, to add to."""
    return {**CORS_HEADERS, "Content-Type": JSON_TYPE, "Cache-Control": "no-store"}


def uncached_json(value: Any, status: int = 200, extra_headers: Mapping[str, str] | None = None) -> Response:
    """JSON that no cache may keep (health, errors)."""
    headers: HeaderMap = uncached_headers()
    if extra_headers:
        headers.update(extra_headers)
    return Response(body=to_json(value), status_code=status, headers=headers)
