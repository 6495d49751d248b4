"""Read responses: snapshot in, cacheable JSON out. Routes in app.py call these."""

from __future__ import annotations

import time
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import urlencode

from chalice.app import Request, Response

from . import params, queries, service
from .config import settings
from .http import CORS_HEADERS, JSON_TYPE, Body, respond, to_json

SERVICE_DESCRIPTION = (
    'Directory of the municipalities in the NRW initiative "Gemeinsam klappt\'s" (2019–2022), '
    "their coordinating offices and contact persons."
)


@lru_cache(maxsize=1024)
def _encoded(pairs: tuple[tuple[str, str], ...]) -> str:
    # Widgets repeat the same few queries; percent-encoding is the costliest step of a link.
    return "?" + urlencode(pairs) if pairs else ""


def _query_string(values: Mapping[str, str]) -> str:
    return _encoded(tuple(values.items()))


def index(request: Request) -> Response:
    params.single_values(request.query_params, ())
    current, freshness = service.reading()
    snapshot = current.snapshot
    base = settings().public_base_url
    body = {
        "service": "gk-directory",
        "description": SERVICE_DESCRIPTION,
        "revision": snapshot.revision,
        "municipalities": len(snapshot.municipalities),
        "links": {
            "municipalities": f"{base}/municipalities",
            "municipality": f"{base}/municipalities/{{id}}",
            "peers": f"{base}/municipalities/{{id}}/peers",
            "office": f"{base}/offices/{{id}}",
            "contact": f"{base}/contacts/{{id}}",
            "health": f"{base}/health",
            "vcards": f"{base}/vcards",
            "contact_vcard": f"{base}/contacts/{{id}}/vcard",
            "contact_qr": f"{base}/contacts/{{id}}/qr.svg",
            "office_vcard": f"{base}/offices/{{id}}/vcard",
            "municipality_vcard": f"{base}/municipalities/{{id}}/vcard",
            "widget": f"{base}/widget.js",
            "demo": f"{base}/demo",
        },
        "filters": {
            "kind": list(params.KINDS),
            "regierungsbezirk": list(params.REGIERUNGSBEZIRKE),
            "topic": snapshot.topics,
            "language": snapshot.languages,
        },
    }
    return respond(Body.of(to_json(body)), request.headers, freshness)


def health(request: Request) -> Response:
    params.single_values(request.query_params, ())
    # check=False: a warm container answers without calling DynamoDB.
    current = service.directory().current(check=False)
    body = {
        "status": "stale" if current.stale else "ok",
        "revision": current.snapshot.revision,
        "snapshot_age_seconds": round(time.time() - current.snapshot.loaded_at, 3),
        "municipalities": len(current.snapshot.municipalities),
    }
    return Response(
        body=to_json(body),
        status_code=200,
        headers={**CORS_HEADERS, "Content-Type": JSON_TYPE, "Cache-Control": "no-store"},
    )


def list_municipalities(request: Request) -> Response:
    query = params.search_query(request.query_params)
    current, freshness = service.reading()
    result = queries.page(queries.find(current.snapshot, query), query)
    items = ",".join(
        hit.entry.summary_json
        if hit.distance_km is None
        else '{"distance_km":' + to_json(round(hit.distance_km, 2)) + "," + hit.entry.summary_json[1:]
        for hit in result.hits
    )
    base = settings().public_base_url + "/municipalities"
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
    return respond(Body.of(text), request.headers, freshness)


def municipality(municipality_id: str, request: Request) -> Response:
    params.single_values(request.query_params, ())
    current, freshness = service.reading()
    entry = current.snapshot.municipality(params.municipality_id(municipality_id))
    return respond(entry.body, request.headers, freshness)


def peers(municipality_id: str, request: Request) -> Response:
    values = params.single_values(request.query_params, ("limit",))
    limit = params.limit_of(values.get("limit"), default=5)
    current, freshness = service.reading()
    entry = current.snapshot.municipality(params.municipality_id(municipality_id))
    items = [
        {
            "distance_km": round(hit.distance_km or 0.0, 2),
            "same_regierungsbezirk": hit.entry.regierungsbezirk == entry.regierungsbezirk,
            **hit.entry.summary,
        }
        for hit in queries.peers(current.snapshot, entry, limit)
    ]
    base = settings().public_base_url
    body = {
        "municipality": {"id": entry.id, "name": entry.summary["name"], "links": entry.summary["links"]},
        "items": items,
        "links": {"self": f"{base}/municipalities/{entry.id}/peers" + _query_string(values)},
    }
    return respond(Body.of(to_json(body)), request.headers, freshness)


def office(office_id: str, request: Request) -> Response:
    params.single_values(request.query_params, ())
    current, freshness = service.reading()
    entry = current.snapshot.office(params.entity_id("id", office_id))
    return respond(entry.body, request.headers, freshness)


def contact(contact_id: str, request: Request) -> Response:
    params.single_values(request.query_params, ())
    current, freshness = service.reading()
    entry = current.snapshot.contact(params.entity_id("id", contact_id))
    return respond(entry.body, request.headers, freshness)
