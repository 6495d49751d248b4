"""The request a route is answering."""

from __future__ import annotations

from chalice import Blueprint
from chalice.app import Request


def current(routes: Blueprint) -> Request:
    """The blueprint's current request: Chalice sets it before it calls a view."""
    request: Request | None = routes.current_request
    if request is None:
        raise RuntimeError("no current request outside a view")
    return request
