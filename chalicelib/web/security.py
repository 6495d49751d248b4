"""Headers every answer carries, whatever route, error or 304 produced it.

- `X-Content-Type-Options: nosniff` on everything: a browser never guesses a JSON,
  vCard or SVG answer into HTML or script. (Answers API Gateway makes itself carry it
  too: infra/template.py's gateway responses.)
- `Strict-Transport-Security` on the editing page's answers when they travel over
  HTTPS (API Gateway says so in `X-Forwarded-Proto`): the page holds a token, so a
  browser that once opened it must never fetch it over plain HTTP again. Never under
  `make run`'s plain http on loopback, where the header would be meaningless.

Applied at the edge (edge.py) to every answer the app gives, so no route can forget them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NOSNIFF = {"X-Content-Type-Options": "nosniff"}
HSTS = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}
EDITING_PAGE_PATHS = ("/edit", "/edit.js", "/edit.css", "/edit/session")


def _header(headers: dict[str, Any] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return str(value)
    return None


def security_headers(path: str, request_headers: dict[str, Any] | None) -> Mapping[str, str]:
    """The headers an answer to `path` gets, given the request's headers (read-only: shared)."""
    if path not in EDITING_PAGE_PATHS:
        return NOSNIFF  # every read of the directory: no header of the request looked at
    headers = dict(NOSNIFF)
    if (_header(request_headers, "X-Forwarded-Proto") or "").lower() == "https":
        headers |= HSTS
    return headers


def secured(answer: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """The Lambda answer to `event` with the security headers added."""
    path = (event.get("requestContext") or {}).get("resourcePath") or ""
    headers = answer.get("headers")
    if headers is None:
        headers = answer["headers"] = {}
    headers.update(security_headers(path, event.get("headers")))
    return answer
