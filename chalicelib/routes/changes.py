"""GET /changes?since=<revision>: what was created, updated or deleted after a revision.

Public and cacheable like every read: it lists ids, kinds, revisions and times of
what a public read shows, nothing more. Like OParl's `modified_since` with deleted
objects, so widgets and mirrors can sync incrementally.
"""

from __future__ import annotations

from urllib.parse import urlencode

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.bodies import Body, to_json
from ..domain.cursor import decode_cursor, encode_cursor, fingerprint_of
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
    feed = now.snapshot.feed
    fingerprint = fingerprint_of(("changes", since))
    after = None
    if "cursor" in values:
        key = decode_cursor(values["cursor"], fingerprint, 3)
        after = (int(key[0]), str(key[1]), str(key[2]))
    changes, more = feed.since(since, after, limit)
    next_cursor = None
    base = bootstrap.links().base + "/changes"
    query = {"since": str(since), "limit": str(limit)}
    if more and changes:
        last = changes[-1]
        next_cursor = encode_cursor((last.revision, last.kind, last.id), fingerprint)
    body = {
        "items": [change.view() for change in changes],
        "since": since,
        # Ask with since=<revision> next time; the feed is complete up to here.
        "revision": feed.complete_to,
        "next_cursor": next_cursor,
        "links": {
            "self": base
            + "?"
            + urlencode({**query, **({"cursor": values["cursor"]} if "cursor" in values else {})}),
            "next": base + "?" + urlencode({**query, "cursor": next_cursor}) if next_cursor else None,
        },
    }
    return respond(Body.of(to_json(body)), request.headers, freshness)
