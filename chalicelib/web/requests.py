"""The request a route is answering."""

from __future__ import annotations

from collections.abc import Mapping

from chalice import Blueprint, Chalice
from chalice.app import Request


def current(routes: Blueprint) -> Request:
    """The blueprint's current request: Chalice sets it before it calls a view."""
    request: Request | None = routes.current_request
    if request is None:
        raise RuntimeError("no current request outside a view")
    return request


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A request header by its lower-case name, or None if the request has none.

    Chalice's CaseInsensitiveMapping answers `get` and `in` for an absent header by
    raising and catching a KeyError (Mapping's defaults): two exceptions on every warm
    read, whose requests carry neither If-None-Match nor Authorization. Its dict of
    lower-cased names answers without one; any other mapping is asked as usual (so a
    Chalice that renamed it is only slower, never wrong).
    """
    lowered = getattr(headers, "_dict", None)
    if type(lowered) is dict:
        found: str | None = lowered.get(name)
        return found
    return headers.get(name)


# Methods whose requests carry no body.
BODYLESS = frozenset({"GET", "HEAD", "OPTIONS"})


def accept_any_content_type_on_reads(app: Chalice) -> None:
    """Let a read through whatever Content-Type it names: it has no body to be of that type.

    Chalice checks Content-Type against a route's `content_types` (default JSON) on every
    method, and refuses a GET that says `Content-Type: text/plain` with its own 415 body,
    outside the error envelope. Call it after every route is registered (app.py, last).
    """
    for methods in app.routes.values():
        for method, entry in methods.items():
            if method in BODYLESS:
                entry.content_types = ["*/*"]
