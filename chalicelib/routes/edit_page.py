"""The editing page's routes: `GET /edit/session`.

`GET /edit/session` tells an editor whom a token belongs to — its label, scope and,
for a municipality's token, which municipality — so a client can open it without a
"whoami" in the editing API itself.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from ..domain.bodies import to_json
from ..web import params
from ..web.errors import api
from ..web.requests import current
from ..web.responses import JSON_TYPE, HeaderMap
from ..web.writes import PRIVATE
from .authorizer import principal_of, token_authorizer

edit_page_routes = Blueprint(__name__)


@edit_page_routes.route("/edit/session", methods=["GET"], authorizer=token_authorizer)
@api
def edit_session() -> Response:
    """Whom the request's token belongs to: `{"label", "scope", "municipality"}`."""
    request = current(edit_page_routes)
    params.single_values(request.query_params, ())
    principal = principal_of(request)
    body = {"label": principal.label, "scope": principal.scope, "municipality": principal.municipality_id}
    headers: HeaderMap = {"Cache-Control": PRIVATE, "Content-Type": JSON_TYPE}
    return Response(body=to_json(body), status_code=200, headers=headers)
