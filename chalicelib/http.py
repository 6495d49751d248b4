"""HTTP helpers: JSON bodies with ETags, conditional GETs, caching, CORS, errors.

Every response the API sends is built here, so the headers a widget relies on
(ETag, Cache-Control, open CORS) and the error envelope cannot drift apart
between routes.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b
from typing import Any, ParamSpec

from chalice import Chalice, Response

from .errors import DirectoryError

log = logging.getLogger(__name__)

JSON_TYPE = "application/json; charset=utf-8"

# Widgets run on any origin and only read; credentials are never involved, so
# the wildcard is the honest answer. The exposed headers let browser code see
# revisions, staleness and download names.
EXPOSED_HEADERS = ["ETag", "X-Directory-Revision", "X-Directory-Stale", "Content-Disposition"]
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": ", ".join(EXPOSED_HEADERS),
}
# Preflight answers for browsers, shared by app.py and the blueprints so every
# route answers OPTIONS alike; real responses carry CORS_HEADERS.
# Request headers a cross-origin client may send on a read. Browsers preflight only
# requests that set others than the safelisted ones, e.g. If-None-Match by hand.
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Language, If-None-Match, Cache-Control",
    "Access-Control-Max-Age": "86400",
}


def preflight(**_path_parameters: str) -> Response:
    return Response(body="", status_code=204, headers=dict(PREFLIGHT_HEADERS))


def answer_preflights(app: Chalice) -> None:
    """Give every GET route an OPTIONS twin that answers CORS preflights.

    Chalice's CORSConfig would generate these as well, but it also rebuilds its CORS
    headers on every GET — about 1 µs, 7 % of a warm detail read — while our
    responses carry Access-Control-Allow-Origin already.
    """
    for path, methods in list(app.routes.items()):
        if "GET" in methods and "OPTIONS" not in methods:
            name = "preflight" + "".join(c if c.isalnum() else "_" for c in path)
            app.route(path, methods=["OPTIONS"], name=name)(preflight)


def etag_of(text: str) -> str:
    return '"' + blake2b(text.encode("utf-8"), digest_size=12).hexdigest() + '"'


@dataclass(frozen=True)
class Body:
    """A rendered response body and its strong ETag, computed once."""

    text: str
    etag: str

    @classmethod
    def of(cls, text: str) -> Body:
        return cls(text, etag_of(text))


def matches_etag(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison over a list, or '*'."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


@dataclass(frozen=True)
class Freshness:
    """What a response says about the snapshot it came from."""

    revision: int
    stale: bool
    max_age: int


# Chalice's Response takes multi-valued headers too; ours are all single-valued.
HeaderMap = dict[str, str | list[str]]


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


def respond(
    body: Body,
    request_headers: Mapping[str, str],
    freshness: Freshness,
    content_type: str = JSON_TYPE,
    extra_headers: Mapping[str, str] | None = None,
) -> Response:
    """A cacheable 200, or a 304 when the client already holds this body."""
    headers = cache_headers(freshness)
    headers["ETag"] = body.etag
    if extra_headers:
        headers.update(extra_headers)
    if matches_etag(request_headers.get("if-none-match"), body.etag):
        return Response(body="", status_code=304, headers=headers)
    headers["Content-Type"] = content_type
    return Response(body=body.text, status_code=200, headers=headers)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def error_response(error: DirectoryError) -> Response:
    body = {"error": {"code": error.code, "message": error.message, "details": error.details}}
    headers: HeaderMap = {**CORS_HEADERS, "Content-Type": JSON_TYPE, "Cache-Control": "no-store"}
    if error.status == 503:
        headers["Retry-After"] = "5"
    return Response(body=to_json(body), status_code=error.status, headers=headers)


P = ParamSpec("P")


def api(view: Callable[P, Response]) -> Callable[P, Response]:
    """Map domain errors raised anywhere below a route to the error envelope."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        try:
            return view(*args, **kwargs)
        except DirectoryError as error:
            if error.status >= 500:
                log.warning("%s: %s", error.code, error.message)
            return error_response(error)

    return wrapper
