"""GET /changes?since=<revision>: what was created, updated or deleted after a revision.

Public and cacheable like every read: it lists ids, kinds, revisions and times of
what a public read shows, nothing more. Like OParl's `modified_since` with deleted
objects, so widgets and mirrors can sync incrementally.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain import pages
from ..web import params
from ..web.requests import current
from ..web.responses import respond

change_routes = Blueprint(__name__)


@change_routes.route("/changes", methods=["GET"])
def list_changes() -> Response:
    request = current(change_routes)
    values = params.single_values(request.query_params, ("since", "limit", "cursor"))
    since = params.whole_number("since", values.get("since", "0"), maximum=10**15)
    limit = params.limit_of(values.get("limit"), default=100)
    now, freshness = bootstrap.reading()
    body = pages.changes_body(now.snapshot, since, limit, values.get("cursor"))
    return respond(body, request.headers, freshness)
