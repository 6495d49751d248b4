"""What a route's code does not say about it: one annotation per route, keyed by (METHOD, path).

document.py takes every operation from app.routes and adds its annotation; a route
without one, or an annotation without its route, stops the build. The rest is derived
from the route, not written here: the operationId (the view's name), the path
parameters (from the template, parameters.py), If-Match on writes, If-None-Match where
a 304 is answered, the bearer token where the route has the authorizer (and 401 with
it), 413/415/422 where a body is read, the merge-patch media type on PATCH, 429 on
every route. The order of this table is the order of the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.routes.edit_page import EDIT_LANGUAGES

from .parameters import (
    ACCEPT_CARD,
    CHANGES_LIMIT,
    CURSOR,
    IF_NONE_MATCH_CREATE,
    PEERS_LIMIT,
    SEARCH_FILTERS,
    SEARCH_LIMIT,
    SINCE,
)
from .shapes import (
    DELETED,
    JSON,
    OBJECT,
    cached_file,
    card,
    created,
    directory_data,
    editable_read,
    for_token_holder,
    never_cached,
    page,
    qr_code,
    written,
)

Json = dict[str, Any]


@dataclass(frozen=True)
class Annotation:
    tag: str
    summary: str
    answers: Json  # the success answers (2xx, 304): a shape of shapes.py
    errors: tuple[int, ...] = ()  # besides those derived (above)
    parameters: tuple[Json, ...] = ()  # besides those derived, after the path's
    body: str | None = None  # the request body's schema (schemas.py)
    description: str | None = None
    optional_token: bool = False  # a read that answers a token holder differently


READ = (400, 503)
ONE = (400, 404, 503)
CARD = (400, 404, 406, 503)
WRITE = (400, 403, 404, 412, 428, 503)

EDITING = (
    "A token holder reading with `Authorization: Bearer …` gets the editable representation instead: "
    "every stored field, non-public contacts too, each entry's ETag, never cached."
)


def _editable(summary: str, description: str, public: str, editable: str) -> Annotation:
    """A public read that a token holder gets in its editable form."""
    answers = editable_read(description, public, editable)
    errors = (400, 401, 403, 404, 503)
    return Annotation("directory", summary, answers, errors, description=EDITING, optional_token=True)


WIDGET_LANGUAGES = ("de", "en", "ar", "fa", "uk", "tr")

ANNOTATIONS: dict[tuple[str, str], Annotation] = {
    ("GET", "/"): Annotation(
        "directory",
        "What the service is, its link templates and filter values",
        directory_data("The index", "Index"),
        READ,
    ),
    ("GET", "/health"): Annotation(
        "directory", "Whether the snapshot is fresh (never cached)", never_cached("Health", "Health"), READ
    ),
    ("GET", "/municipalities"): Annotation(
        "directory",
        "Search and filter municipalities, a page at a time",
        directory_data("One page of matches", "SearchPage"),
        READ,
        (*SEARCH_FILTERS, SEARCH_LIMIT, CURSOR),
    ),
    ("GET", "/municipalities/{municipality_id}"): _editable(
        "A municipality: the full record", "The municipality", "MunicipalityDetail", "EditableMunicipality"
    ),
    ("PUT", "/municipalities/{municipality_id}"): Annotation(
        "editing",
        "Replace a municipality with its offices and contacts (create: admins, with If-None-Match: *)",
        {**written("EditableMunicipality"), **created("EditableMunicipality")},
        WRITE,
        (IF_NONE_MATCH_CREATE,),
        body="MunicipalityRecord",
    ),
    ("PATCH", "/municipalities/{municipality_id}"): Annotation(
        "editing",
        "Change some of a municipality's fields",
        written("EditableMunicipality"),
        WRITE,
        body="MunicipalityPatch",
    ),
    ("DELETE", "/municipalities/{municipality_id}"): Annotation(
        "editing",
        "Delete a municipality (admins only); its offices and contacts leave tombstones",
        DELETED,
        WRITE,
    ),
    ("GET", "/municipalities/{municipality_id}/peers"): Annotation(
        "directory",
        "The nearest other municipalities, with distance and whether they share the Regierungsbezirk",
        directory_data("The peers, nearest first", "Peers"),
        ONE,
        (PEERS_LIMIT,),
    ),
    ("POST", "/municipalities/{municipality_id}/offices"): Annotation(
        "editing", "Add an office to a municipality", created("EditableOffice"), WRITE, body="NewOffice"
    ),
    ("POST", "/municipalities/{municipality_id}/confirmation"): Annotation(
        "editing",
        'Confirm a municipality\'s entries as they are ("Alles korrekt"): moves confirmed_at, '
        "changes no office or contact",
        written("EditableMunicipality"),
        WRITE,
    ),
    ("GET", "/municipalities/{municipality_id}/vcard"): Annotation(
        "cards", "Its offices and public contacts as one vCard file", card("The cards"), CARD, (ACCEPT_CARD,)
    ),
    ("GET", "/offices/{office_id}"): _editable(
        "An office, its public contacts and its municipality", "The office", "OfficeDetail", "EditableOffice"
    ),
    ("PATCH", "/offices/{office_id}"): Annotation(
        "editing",
        "Change some of an office's fields (not its contacts)",
        written("EditableOffice"),
        WRITE,
        body="OfficePatch",
    ),
    ("DELETE", "/offices/{office_id}"): Annotation(
        "editing", "Delete an office and its contacts", DELETED, WRITE
    ),
    ("POST", "/offices/{office_id}/contacts"): Annotation(
        "editing", "Add a contact person to an office", created("EditableContact"), WRITE, body="NewContact"
    ),
    ("GET", "/offices/{office_id}/vcard"): Annotation(
        "cards", "The office as an organisation vCard", card("The card"), CARD, (ACCEPT_CARD,)
    ),
    ("GET", "/contacts/{contact_id}"): _editable(
        "A public contact person, their office and municipality",
        "The contact",
        "ContactDetail",
        "EditableContact",
    ),
    ("PATCH", "/contacts/{contact_id}"): Annotation(
        "editing", "Change some of a contact's fields", written("EditableContact"), WRITE, body="ContactPatch"
    ),
    ("DELETE", "/contacts/{contact_id}"): Annotation("editing", "Delete a contact person", DELETED, WRITE),
    ("GET", "/contacts/{contact_id}/vcard"): Annotation(
        "cards", "A contact person as a vCard", card("The card"), CARD, (ACCEPT_CARD,)
    ),
    ("GET", "/contacts/{contact_id}/qr.svg"): Annotation(
        "cards", "That vCard as a QR code", qr_code("The QR code"), (400, 404, 422, 503)
    ),
    ("GET", "/vcards"): Annotation(
        "cards",
        "Every match of a search (the filters of GET /municipalities) as one vCard file",
        card("The cards"),
        CARD,
        (*SEARCH_FILTERS, ACCEPT_CARD),
    ),
    ("GET", "/changes"): Annotation(
        "directory",
        "What was created, updated or deleted after a revision",
        directory_data("One page of changes, oldest first", "ChangesPage"),
        READ,
        (SINCE, CHANGES_LIMIT, CURSOR),
    ),
    ("GET", "/widget.js"): Annotation(
        "widget",
        "The <gk-directory> element for any website",
        cached_file("The script", "text/javascript"),
    ),
    ("GET", "/widget-map.json"): Annotation(
        "widget",
        "The outline of NRW (Kreise and kreisfreie Städte) the widget's map view draws",
        cached_file("SVG path data in the widget's projection", JSON, OBJECT),
    ),
    **{
        ("GET", f"/widget-i18n/{lang}.json"): Annotation(
            "widget",
            f"The widget's labels in {lang}",
            cached_file("One table of strings", JSON, OBJECT),
        )
        for lang in WIDGET_LANGUAGES
    },
    ("GET", "/demo"): Annotation("widget", "A page showing the widget", cached_file("The page", "text/html")),
    ("GET", "/edit"): Annotation(
        "editing",
        "The editing page for coordinating offices (the token arrives in the URL fragment)",
        page("The page", "text/html"),
    ),
    ("GET", "/edit.js"): Annotation(
        "editing", "The editing page's script", page("The script", "text/javascript")
    ),
    ("GET", "/edit.css"): Annotation(
        "editing", "The editing page's stylesheet", page("The stylesheet", "text/css")
    ),
    **{
        ("GET", f"/edit-i18n/{lang}.json"): Annotation(
            "editing", f"The editing page's labels in {lang}", page("One table of strings", JSON, OBJECT)
        )
        for lang in EDIT_LANGUAGES
    },
    ("GET", "/edit/session"): Annotation(
        "editing",
        "Whom the request's token belongs to: its label, scope and municipality",
        for_token_holder("The token's holder", "Session"),
        READ,
    ),
    ("GET", "/edit/report"): Annotation(
        "editing",
        "Admins only: every municipality's offices, contacts, gaps, last change and confirmation and "
        "token, what needs attention first",
        for_token_holder("The report", "Report"),
        (400, 403, 503),
    ),
    ("GET", "/openapi.json"): Annotation(
        "contract", "This document", cached_file("OpenAPI 3.1", JSON, OBJECT)
    ),
}
