"""The JSON read routes: index, health, search, a municipality, its peers, an office, a contact.

Each handler parses its request, asks the current snapshot, and responds with a
cacheable body; domain errors become the error envelope in web.errors.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import urlencode

from chalice import Blueprint, Response
from chalice.app import Request

from .. import bootstrap
from ..domain import queries
from ..domain.bodies import Body, to_json
from ..domain.entries import EntryKind
from ..domain.snapshot import MunicipalityEntry, Snapshot
from ..domain.vocabulary import KINDS, REGIERUNGSBEZIRKE
from ..web import params
from ..web.memo import SnapshotMemo
from ..web.requests import current
from ..web.responses import respond, uncached_json

SERVICE_DESCRIPTION = (
    'Directory of the municipalities in the NRW initiative "Gemeinsam klappt\'s" (2019–2022), '
    "their coordinating offices and contact persons."
)

directory_routes = Blueprint(__name__)
# Search pages and peers lists, rendered once per snapshot and query (web/memo.py).
responses = SnapshotMemo()


@lru_cache(maxsize=1024)
def _encoded(pairs: tuple[tuple[str, str], ...]) -> str:
    # Widgets repeat the same few queries; percent-encoding is the costliest step of a link.
    return "?" + urlencode(pairs) if pairs else ""


def _query_string(values: Mapping[str, str]) -> str:
    return _encoded(tuple(values.items()))


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
    body = responses.body(now.snapshot, ("search", query.given), lambda: _search_body(now.snapshot, query))
    return respond(body, request.headers, freshness)


def _search_body(snapshot: Snapshot, query: queries.SearchQuery) -> Body:
    result = queries.search_page(snapshot, query)
    items = ",".join(
        hit.entry.summary_json
        if hit.distance_km is None
        else '{"distance_km":' + to_json(round(hit.distance_km, 2)) + "," + hit.entry.summary_json[1:]
        for hit in result.hits
    )
    base = bootstrap.links().search()
    next_link = None
    if result.next_cursor:
        following = {**dict(query.given), "cursor": result.next_cursor}
        next_link = base + "?" + urlencode(following)  # cursors are unique: not worth caching
    tail = {
        "total": result.total,
        "limit": query.limit,
        "next_cursor": result.next_cursor,
        "links": {"self": base + _encoded(query.given), "next": next_link},
    }
    text = '{"items":[' + items + "]," + to_json(tail)[1:]
    return Body.of(text)


def _editable(kind: EntryKind, entry_id: str, request: Request) -> Response:
    """What a token holder reads to edit: every contact, each entry's ETag, never cached."""
    from ..auth.tokens import bearer_token
    from ..web.writes import private_json

    principal = bootstrap.tokens().verify(bearer_token(request.headers["authorization"]))
    entry = bootstrap.editor().read(principal, kind, entry_id)
    return private_json(entry, entry["etag"])


@directory_routes.route("/municipalities/{municipality_id}", methods=["GET"])
def get_municipality(municipality_id: str) -> Response:
    request = current(directory_routes)
    params.single_values(request.query_params, ())
    if "authorization" in request.headers:
        return _editable("municipality", params.municipality_id(municipality_id), request)
    now, freshness = bootstrap.reading()
    entry = now.snapshot.municipality(params.municipality_id(municipality_id))
    return respond(entry.body, request.headers, freshness)


@directory_routes.route("/municipalities/{municipality_id}/peers", methods=["GET"])
def get_peers(municipality_id: str) -> Response:
    request = current(directory_routes)
    values = params.single_values(request.query_params, ("limit",))
    limit = params.limit_of(values.get("limit"), default=5)
    now, freshness = bootstrap.reading()
    entry = now.snapshot.municipality(params.municipality_id(municipality_id))
    body = responses.body(
        now.snapshot,
        ("peers", entry.id, limit, tuple(values.items())),
        lambda: _peers_body(now.snapshot, entry, limit, values),
    )
    return respond(body, request.headers, freshness)


def _peers_body(snapshot: Snapshot, entry: MunicipalityEntry, limit: int, values: dict[str, str]) -> Body:
    items = [
        {
            "distance_km": round(hit.distance_km or 0.0, 2),
            "same_regierungsbezirk": hit.entry.regierungsbezirk == entry.regierungsbezirk,
            **hit.entry.summary,
        }
        for hit in queries.peers(snapshot, entry, limit)
    ]
    body = {
        "municipality": {"id": entry.id, "name": entry.summary["name"], "links": entry.summary["links"]},
        "items": items,
        "links": {"self": bootstrap.links().peers(entry.id) + _query_string(values)},
    }
    return Body.of(to_json(body))


@directory_routes.route("/offices/{office_id}", methods=["GET"])
def get_office(office_id: str) -> Response:
    request = current(directory_routes)
    params.single_values(request.query_params, ())
    if "authorization" in request.headers:
        return _editable("office", params.entity_id("id", office_id), request)
    now, freshness = bootstrap.reading()
    entry = now.snapshot.office(params.entity_id("id", office_id))
    return respond(entry.body, request.headers, freshness)


@directory_routes.route("/contacts/{contact_id}", methods=["GET"])
def get_contact(contact_id: str) -> Response:
    request = current(directory_routes)
    params.single_values(request.query_params, ())
    if "authorization" in request.headers:
        return _editable("contact", params.entity_id("id", contact_id), request)
    now, freshness = bootstrap.reading()
    entry = now.snapshot.contact(params.entity_id("id", contact_id))
    return respond(entry.body, request.headers, freshness)
