"""The JSON read routes: index, health, search, a municipality, its peers, an office, a contact.

Each handler parses its request, asks the current snapshot, and responds with a
cacheable body; domain errors become the error envelope in web.errors.
"""

from __future__ import annotations

import time

from chalice import Blueprint, Response
from chalice.app import Request

from .. import bootstrap
from ..domain import pages
from ..domain.bodies import Body, to_json
from ..domain.entries import EntryKind
from ..domain.vocabulary import KINDS, REGIERUNGSBEZIRKE
from ..web import params
from ..web.requests import current, header
from ..web.responses import respond, uncached_json

SERVICE_DESCRIPTION = (
    'Directory of the municipalities in the NRW initiative "Gemeinsam klappt\'s" (2019–2022), '
    "their coordinating offices and contact persons."
)

directory_routes = Blueprint(__name__)


@directory_routes.route("/", methods=["GET"])
def index() -> Response:
    request = current(directory_routes)
    params.single_values(request.query_params, ())
    now, freshness = bootstrap.reading()
    snapshot = now.snapshot
    body = {
        "service": "gk-directory",
        "description": SERVICE_DESCRIPTION,
        "revision": snapshot.revision,
        "municipalities": len(snapshot.municipalities),
        "links": bootstrap.links().index(),
        "filters": {
            "kind": list(KINDS),
            "regierungsbezirk": list(REGIERUNGSBEZIRKE),
            "topic": snapshot.topics,
            "language": snapshot.languages,
        },
    }
    return respond(Body.of(to_json(body)), request.headers, freshness)


@directory_routes.route("/health", methods=["GET"])
def health() -> Response:
    request = current(directory_routes)
    params.single_values(request.query_params, ())
    # check=False: a warm container answers without calling DynamoDB.
    now = bootstrap.directory().current(check=False)
    return uncached_json(
        {
            "status": "stale" if now.stale else "ok",
            "revision": now.snapshot.revision,
            "snapshot_age_seconds": round(time.time() - now.snapshot.loaded_at, 3),
            "municipalities": len(now.snapshot.municipalities),
        }
    )


@directory_routes.route("/municipalities", methods=["GET"])
def list_municipalities() -> Response:
    request = current(directory_routes)
    query = params.search_query(request.query_params)
    now, freshness = bootstrap.reading()
    snapshot = now.snapshot
    body = bootstrap.responses().body(
        snapshot, ("search", query.given), lambda: pages.search_body(snapshot, query)
    )
    return respond(body, request.headers, freshness)


def _entry(kind: EntryKind, raw_id: str) -> Response:
    """A municipality, office or contact: the editable form when a token is sent, else the public entry."""
    request = current(directory_routes)
    params.single_values(request.query_params, ())
    entry_id = params.municipality_id(raw_id) if kind == "municipality" else params.entity_id("id", raw_id)
    if header(request.headers, "authorization") is not None:
        return _editable(kind, entry_id, request)
    now, freshness = bootstrap.reading()
    snapshot = now.snapshot
    if kind == "municipality":
        return respond(snapshot.municipality(entry_id).body, request.headers, freshness)
    found = snapshot.office(entry_id) if kind == "office" else snapshot.contact(entry_id)
    return respond(found.body, request.headers, freshness)


def _editable(kind: EntryKind, entry_id: str, request: Request) -> Response:
    """What a token holder reads to edit: every contact, each entry's ETag, never cached."""
    from ..auth.tokens import bearer_token
    from ..web.writes import private_json

    principal = bootstrap.tokens().verify(bearer_token(request.headers["authorization"]))
    entry = bootstrap.editor().read(principal, kind, entry_id)
    return private_json(entry, entry["etag"])


@directory_routes.route("/municipalities/{municipality_id}", methods=["GET"])
def get_municipality(municipality_id: str) -> Response:
    return _entry("municipality", municipality_id)


@directory_routes.route("/municipalities/{municipality_id}/peers", methods=["GET"])
def get_peers(municipality_id: str) -> Response:
    request = current(directory_routes)
    values = params.single_values(request.query_params, ("limit",))
    limit = params.limit_of(values.get("limit"), default=5)
    now, freshness = bootstrap.reading()
    entry = now.snapshot.municipality(params.municipality_id(municipality_id))
    body = bootstrap.responses().body(
        now.snapshot,
        ("peers", entry.id, limit, tuple(values.items())),
        lambda: pages.peers_body(now.snapshot, entry, limit, values),
    )
    return respond(body, request.headers, freshness)


@directory_routes.route("/offices/{office_id}", methods=["GET"])
def get_office(office_id: str) -> Response:
    return _entry("office", office_id)


@directory_routes.route("/contacts/{contact_id}", methods=["GET"])
def get_contact(contact_id: str) -> Response:
    return _entry("contact", contact_id)
