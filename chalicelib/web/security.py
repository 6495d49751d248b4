"""Headers every answer carries, whatever route, error or 304 produced it.

- `X-Content-Type-Options: nosniff` on everything: a browser never guesses a JSON,
  vCard or SVG answer into HTML or script. (Answers API Gateway makes itself carry it
  too: infra/template.py's gateway responses.)
- `Strict-Transport-Security` on the editing page's answers when they travel over
  HTTPS (API Gateway says so in `X-Forwarded-Proto`): the page holds a token, so a
  browser that once opened it must never fetch it over plain HTTP again. Never under
  `make run`'s plain http on loopback, where the header would be meaningless.

One Chalice middleware, registered last in app.py, so no route can forget them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Chalice, Response

NOSNIFF = {"X-Content-Type-Options": "nosniff"}
HSTS = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}
EDITING_PAGE_PATHS = ("/edit", "/edit.js", "/edit.css", "/edit/session")


def _header(headers: dict[str, Any] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return str(value)
    return None


def security_headers(path: str, request_headers: dict[str, Any] | None) -> dict[str, str]:
    """The headers an answer to `path` gets, given the request's headers."""
    headers = dict(NOSNIFF)
    over_https = (_header(request_headers, "X-Forwarded-Proto") or "").lower() == "https"
    if over_https and path in EDITING_PAGE_PATHS:
        headers |= HSTS
    return headers


def add_security_headers(app: Chalice) -> None:
    @app.middleware("http")
    def secure(event: Any, get_response: Callable[[Any], Response]) -> Response:
        response = get_response(event)
        path = event.path if hasattr(event, "path") else ""
        response.headers.update(security_headers(path, getattr(event, "headers", None)))
        return response
