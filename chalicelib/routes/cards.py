"""vCard routes: one card, an office, a municipality, any search result, and QR codes.

    GET /contacts/{id}/vcard        a person (vCard 3.0)
    GET /contacts/{id}/qr.svg       that card as a QR code
    GET /offices/{id}/vcard         an office, as an organisation card
    GET /municipalities/{id}/vcard  its offices and public contacts in one .vcf
    GET /vcards                     every match of a GET /municipalities search in one .vcf

`Accept: application/vcard+json` turns each card route into jCard (RFC 7095). Cards
are rendered once per snapshot (chalicelib.cards) and answered like the JSON routes:
ETag/304, Cache-Control, open CORS, the error envelope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response
from chalice.app import Request

from .. import bootstrap
from ..domain.entries import ChildKind
from ..domain.errors import NotFound
from ..domain.freshness import Freshness
from ..domain.links import vcard_path
from ..web import params
from ..web.base_url import source_base
from ..web.downloads import content_disposition
from ..web.negotiation import JCARD_TYPE, wants_jcard
from ..web.requests import current
from ..web.responses import respond

if TYPE_CHECKING:
    from ..cards.cache import Bundle, DirectoryCards
    from ..cards.render import Card

# chalicelib.cards is imported by the first card request, not by `import app`: a widget's
# cold start serves JSON and should not pay for the card modules.

VCARD_TYPE = "text/vcard; charset=utf-8"
SVG_TYPE = "image/svg+xml"

card_routes = Blueprint(__name__)


def _cards(request: Request, own_path: str) -> tuple[DirectoryCards, Freshness]:
    now, freshness = bootstrap.reading()
    base = source_base(bootstrap.settings().public_base_url, request.headers, request.context, own_path)
    return bootstrap.cards().get(now.snapshot, base), freshness


def _send(request: Request, freshness: Freshness, bundle: Bundle) -> Response:
    # The representation follows Accept, so caches must key on it.
    if wants_jcard(request.headers.get("accept")):
        return respond(bundle.jcard, request.headers, freshness, JCARD_TYPE, {"Vary": "Accept"})
    headers = {"Vary": "Accept", "Content-Disposition": content_disposition(bundle.filename)}
    return respond(bundle.vcard, request.headers, freshness, VCARD_TYPE, headers)


def _one_card(kind: ChildKind, raw_id: str) -> tuple[Request, DirectoryCards, Freshness, Card]:
    """The steps every single-card route shares: parse, snapshot, cards, the card or 404."""
    request = current(card_routes)
    params.single_values(request.query_params, ())
    entity_id = params.entity_id("id", raw_id)
    # A QR code holds the card as its vcard route serves it, SOURCE included.
    cards, freshness = _cards(request, vcard_path(kind, entity_id))
    card = cards.card(kind, entity_id)
    if card is None:
        # A non-public contact is not in the snapshot: the same 404 as an unknown id.
        raise NotFound(f"no {kind} {entity_id}", {"id": entity_id})
    return request, cards, freshness, card


def _card_download(kind: ChildKind, raw_id: str) -> Response:
    request, cards, freshness, card = _one_card(kind, raw_id)
    return _send(request, freshness, cards.card_bundle(card))


@card_routes.route("/contacts/{contact_id}/vcard", methods=["GET"])
def contact_vcard(contact_id: str) -> Response:
    return _card_download("contact", contact_id)


@card_routes.route("/contacts/{contact_id}/qr.svg", methods=["GET"])
def contact_qr(contact_id: str) -> Response:
    from ..cards import qr

    request, cards, freshness, card = _one_card("contact", contact_id)
    body = cards.qr(card, qr.card_svg)
    return respond(body, request.headers, freshness, SVG_TYPE)


@card_routes.route("/offices/{office_id}/vcard", methods=["GET"])
def office_vcard(office_id: str) -> Response:
    return _card_download("office", office_id)


@card_routes.route("/municipalities/{municipality_id}/vcard", methods=["GET"])
def municipality_vcard(municipality_id: str) -> Response:
    request = current(card_routes)
    params.single_values(request.query_params, ())
    municipality_id = params.municipality_id(municipality_id)
    cards, freshness = _cards(request, f"/municipalities/{municipality_id}/vcard")
    entry = cards.snapshot.municipality(municipality_id)
    found = cards.municipality_bundle(entry)
    if not found.count:
        # No office published yet: an empty .vcf would import nothing, silently.
        raise NotFound(f"municipality {municipality_id} has no office or contact to download yet",
                       {"id": municipality_id})
    return _send(request, freshness, found)


@card_routes.route("/vcards", methods=["GET"])
def search_vcards() -> Response:
    """Every match of the search in one file: paging would only split one download."""
    from ..cards.selection import search_download

    request = current(card_routes)
    query = params.download_query(request.query_params)
    cards, freshness = _cards(request, "/vcards")
    given = list(request.query_params or ())
    return _send(request, freshness, search_download(cards, query, given))
