"""vCard routes: one card, an office, a municipality, any search result, and QR codes.

    GET /contacts/{id}/vcard        a person (vCard 3.0)
    GET /contacts/{id}/qr.svg       that card as a QR code
    GET /offices/{id}/vcard         an office, as an organisation card
    GET /municipalities/{id}/vcard  its offices and public contacts in one .vcf
    GET /vcards                     every match of a GET /municipalities search in one .vcf

`Accept: application/vcard+json` turns each card route into jCard (RFC 7095). Cards
are rendered once per snapshot (chalicelib.vcards) and answered like the JSON routes:
ETag/304, Cache-Control, open CORS, the error envelope.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from chalice import Blueprint, Response
from chalice.app import Request

from . import params, qrcodes, queries, service, vcards
from .config import settings
from .errors import InvalidParameter, NotAcceptable, NotFound
from .http import Freshness, api, respond
from .vcards import Bundle, DirectoryCards

VCARD_TYPE = "text/vcard; charset=utf-8"
JCARD_TYPE = "application/vcard+json"
SVG_TYPE = "image/svg+xml"
DIRECTORY_FILENAME = "gemeinsam-klappts"
# Media ranges that mean "a vCard" to older clients as well.
_VCARD_ALIASES = frozenset({"text/vcard", "text/x-vcard", "text/directory"})

vcard_routes = Blueprint(__name__)


def _request() -> Request:
    request: Request | None = vcard_routes.current_request
    if request is None:  # Chalice sets it before calling a view
        raise RuntimeError("no current request")
    return request


# -- the absolute base of SOURCE -------------------------------------------------------

# A DNS name or bracketed IPv6 literal, optional port: nothing else may reach a card's SOURCE.
_HOST = re.compile(
    r"^(?:[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63})*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$"
)
_PATH_PREFIX = re.compile(r"^(?:/[A-Za-z0-9._~-]+)*$")
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]"})


def source_base(headers: Mapping[str, str], context: Mapping[str, Any], own_path: str) -> str | None:
    """The absolute URL this API is reached at, for the SOURCE of its cards.

    GK_PUBLIC_BASE_URL wins when set (deployed stages should set it). Otherwise the
    request says: its Host, X-Forwarded-Proto (API Gateway sets it; without it,
    loopback means http and anything else https), and whatever API Gateway put before
    the route in the request path — the stage ("/api") or a custom domain's base path.
    A missing or malformed Host gives None: the card then carries no SOURCE.
    """
    configured = settings().public_base_url
    if configured:
        return configured
    path = str(context.get("path") or "")
    prefix = path[: -len(own_path)] if path.endswith(own_path) else ""
    return _request_base(headers.get("host", ""), headers.get("x-forwarded-proto", ""), prefix)


@functools.lru_cache(maxsize=32)  # a handful of hosts in practice; bounded whatever arrives
def _request_base(host: str, forwarded_proto: str, prefix: str) -> str | None:
    host = host.strip()
    if not _HOST.match(host):
        return None
    hostname = host[: host.index("]") + 1] if host.startswith("[") else host.split(":", 1)[0]
    scheme = forwarded_proto.split(",")[0].strip().lower()
    if scheme not in ("http", "https"):
        scheme = "http" if hostname.lower() in _LOOPBACK else "https"
    if not _PATH_PREFIX.match(prefix):
        prefix = ""
    return f"{scheme}://{host.lower()}{prefix}"


# -- content negotiation ---------------------------------------------------------------


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for item in accept.split(","):
        media, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    return ranges


def _quality(ranges: list[tuple[str, float]], offer: str, aliases: frozenset[str]) -> float:
    """q of the most specific range matching the offer (RFC 9110 §12.5.1); 0 if none."""
    major = offer.split("/", 1)[0]
    specificity, quality = -1, 0.0
    for media, q in ranges:
        if media in aliases:
            rank = 2
        elif media == f"{major}/*":
            rank = 1
        elif media == "*/*":
            rank = 0
        else:
            continue
        if rank > specificity:
            specificity, quality = rank, q
    return quality


def wants_jcard(accept: str | None) -> bool:
    """True for jCard, False for vCard (also without Accept); NotAcceptable for neither."""
    if not accept or accept == "*/*":
        return False
    return _prefers_jcard(accept)


@functools.lru_cache(maxsize=64)  # clients send a few distinct Accept headers; bounded anyway
def _prefers_jcard(accept: str) -> bool:
    ranges = _ranges(accept)
    vcard_q = _quality(ranges, "text/vcard", _VCARD_ALIASES)
    jcard_q = _quality(ranges, JCARD_TYPE, frozenset({JCARD_TYPE}))
    if vcard_q <= 0 and jcard_q <= 0:
        raise NotAcceptable("cards are available as text/vcard or application/vcard+json",
                            {"available": ["text/vcard", JCARD_TYPE]})
    return jcard_q > vcard_q


# -- responses -------------------------------------------------------------------------


def _cards(request: Request, own_path: str) -> tuple[DirectoryCards, Freshness]:
    current, freshness = service.reading()
    base = source_base(request.headers, request.context, own_path)
    return vcards.cards_for(current.snapshot, base), freshness


def _send(request: Request, freshness: Freshness, bundle: Bundle) -> Response:
    # The representation follows Accept, so caches must key on it.
    if wants_jcard(request.headers.get("accept")):
        return respond(bundle.jcard, request.headers, freshness, JCARD_TYPE, {"Vary": "Accept"})
    headers = {"Vary": "Accept", "Content-Disposition": bundle.disposition}
    return respond(bundle.vcard, request.headers, freshness, VCARD_TYPE, headers)


def _card(cards: DirectoryCards, kind: vcards.Kind, raw_id: str) -> vcards.Card:
    card = cards.card(kind, params.entity_id("id", raw_id))
    if card is None:
        # A non-public contact is not in the snapshot: the same 404 as an unknown id.
        raise NotFound(f"no {kind} {raw_id}", {"id": raw_id})
    return card


@vcard_routes.route("/contacts/{contact_id}/vcard", methods=["GET"])
@api
def contact_vcard(contact_id: str) -> Response:
    request = _request()
    params.single_values(request.query_params, ())
    cards, freshness = _cards(request, f"/contacts/{contact_id}/vcard")
    card = _card(cards, "contact", contact_id)
    return _send(request, freshness, cards.card_bundle(card))


@vcard_routes.route("/contacts/{contact_id}/qr.svg", methods=["GET"])
@api
def contact_qr(contact_id: str) -> Response:
    request = _request()
    params.single_values(request.query_params, ())
    # The code holds the card as GET /contacts/{id}/vcard serves it, SOURCE included.
    cards, freshness = _cards(request, f"/contacts/{contact_id}/vcard")
    card = _card(cards, "contact", contact_id)
    body = cards.qr(card, lambda c: qrcodes.svg(c.text, title=f"vCard: {c.display_name}"))
    return respond(body, request.headers, freshness, SVG_TYPE)


@vcard_routes.route("/offices/{office_id}/vcard", methods=["GET"])
@api
def office_vcard(office_id: str) -> Response:
    request = _request()
    params.single_values(request.query_params, ())
    cards, freshness = _cards(request, f"/offices/{office_id}/vcard")
    card = _card(cards, "office", office_id)
    return _send(request, freshness, cards.card_bundle(card))


@vcard_routes.route("/municipalities/{municipality_id}/vcard", methods=["GET"])
@api
def municipality_vcard(municipality_id: str) -> Response:
    request = _request()
    params.single_values(request.query_params, ())
    cards, freshness = _cards(request, f"/municipalities/{municipality_id}/vcard")
    entry = cards.snapshot.municipality(params.municipality_id(municipality_id))
    return _send(request, freshness, cards.municipality_bundle(entry))


@vcard_routes.route("/vcards", methods=["GET"])
@api
def search_vcards() -> Response:
    """Every match of the search in one file: paging would only split one download."""
    request = _request()
    query = params.search_query(request.query_params)
    given = request.query_params.keys() if request.query_params else ()
    for name in ("limit", "cursor"):
        if name in given:
            raise InvalidParameter(name, f"GET /vcards returns every match in one file; drop '{name}'")
    cards, freshness = _cards(request, "/vcards")
    hits = queries.find(cards.snapshot, query)
    return _send(request, freshness, cards.selection([hit.entry for hit in hits], DIRECTORY_FILENAME))
