"""Requests no route answers: an unknown path is a 404, a known path's other methods a 405.

Without these routes, API Gateway (and chalice local) answers them itself — 403
"Missing Authentication Token" for an unknown path, Chalice's own 405 body for a
method the path lacks — outside the error envelope and without CORS headers, so a
widget cannot even read them. Registering real routes makes the function answer
both, in the envelope, locally and behind API Gateway alike.
"""

from __future__ import annotations

from chalice import Chalice, Response

from ..domain.errors import MethodNotAllowed, NotFound
from .errors import error_response
from .head import without_body
from .preflight import preflight

# The methods a client may send; OPTIONS stays the CORS preflight (preflight.py).
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# API Gateway's greedy path variable: any path no other resource matches.
CATCH_ALL = "/{proxy+}"
# Any Content-Type may reach these routes: Chalice would refuse a body that is not
# JSON with its own 415 before the 405 could be said.
_ANY_CONTENT = ["*/*"]
_ORDER = {method: n for n, method in enumerate((*METHODS, "OPTIONS"))}


def _request_method(app: Chalice) -> str:
    request = app.current_request
    return request.method if request is not None else "GET"


def answer_unrouted(app: Chalice) -> None:
    """Give every path a 405 for the methods it lacks, and every other path a 404.

    Call it after every other route is registered (app.py does, last): the Allow
    header lists what the path answers at that moment, write routes included.
    """
    for path, routes in list(app.routes.items()):
        missing = [method for method in METHODS if method not in routes]
        if not missing:
            continue
        allowed = sorted(routes, key=lambda method: _ORDER.get(method, len(_ORDER)))

        def refuse(_allowed: list[str] = allowed, **_path_parameters: str) -> Response:
            method = _request_method(app)
            error = MethodNotAllowed(
                f"{method} is not allowed here; use {', '.join(_allowed)}",
                {"method": method, "allowed": _allowed},
            )
            response = error_response(error)
            response.headers["Allow"] = ", ".join(_allowed)
            return without_body(response) if method == "HEAD" else response

        name = "refuse" + "".join(c if c.isalnum() else "_" for c in path)
        app.route(path, methods=missing, name=name, content_types=_ANY_CONTENT)(refuse)

    if CATCH_ALL in app.routes:
        return

    def not_found(**_path_parameters: str) -> Response:
        # The path is not repeated: an error never echoes what a client sent.
        response = error_response(NotFound("nothing is at this path"))
        return without_body(response) if _request_method(app) == "HEAD" else response

    app.route(CATCH_ALL, methods=list(METHODS), name="not_found", content_types=_ANY_CONTENT)(not_found)
    # A browser preflights before it may read the 404: answer it like any other.
    app.route(CATCH_ALL, methods=["OPTIONS"], name="preflight_not_found")(preflight)
