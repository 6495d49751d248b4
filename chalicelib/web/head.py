"""HEAD: every GET route answers HEAD as it answers GET, without the body.

API Gateway routes a method only to a resource that declares it, so HEAD needs routes
of its own; Chalice would otherwise answer 405. The HEAD twin runs the GET view
itself, so status, headers, ETag and the 304 logic cannot drift apart from GET's, and
sits behind GET's authorizer (if it has one): without it the view would find no principal
and answer 401 to a valid token.
"""

from __future__ import annotations

from collections.abc import Callable

from chalice import Chalice, Response
from chalice.app import RouteEntry

from .responses import every_header


def content_length(response: Response) -> int:
    """The octets of the body a GET would send (Chalice serialises non-text bodies as JSON)."""
    body = response.body
    if isinstance(body, bytes):
        return len(body)
    if not isinstance(body, str):
        body = Response(body).to_dict()["body"]
    return len(body.encode("utf-8"))


def without_body(response: Response) -> Response:
    """The same answer without its body; Content-Length still says what GET would send.

    (RFC 9110 §9.3.2: a HEAD response carries the header fields of the GET response,
    and Content-Length, where given, is the size of the body GET would send.)
    """
    headers = every_header(response)
    length = content_length(response)
    if length:
        headers["Content-Length"] = str(length)
    return Response(body="", status_code=response.status_code, headers=headers)


def _head_of(get: RouteEntry) -> Callable[..., Response]:
    def head(**path_parameters: str) -> Response:
        # GET's view as it is when the request comes (errors.answer_errors wraps it later).
        response = get.view_function(**path_parameters)
        return without_body(response if isinstance(response, Response) else Response(response))

    return head


def answer_heads(app: Chalice) -> None:
    """Give every GET route registered so far a HEAD twin."""
    for path, routes in list(app.routes.items()):
        if "GET" in routes and "HEAD" not in routes:
            name = "head" + "".join(c if c.isalnum() else "_" for c in path)
            get = routes["GET"]
            app.route(path, methods=["HEAD"], name=name, authorizer=get.authorizer)(
                _head_of(get)
            )
