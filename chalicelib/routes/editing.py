"""The editing API: municipalities, offices and contacts changed entry by entry.

    PUT    /municipalities/{id}           replace (create: admin, with If-None-Match: *)
    PATCH  /municipalities/{id}           JSON merge patch (RFC 7396)
    DELETE /municipalities/{id}           admin only; leaves tombstones
    POST   /municipalities/{id}/confirmation  "Alles korrekt": confirm as it is (no body)
    POST   /municipalities/{id}/offices   add an office (201, Location)
    PATCH  /offices/{id}, DELETE /offices/{id}
    POST   /offices/{id}/contacts         add a contact person (201, Location)
    PATCH  /contacts/{id}, DELETE /contacts/{id}

Every route sits behind the token authorizer (routes/authorizer.py) and needs
If-Match with the entry's ETag (or '*'). Answers are `Cache-Control: private, no-store`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.links import contact_path, municipality_path, office_path
from ..web import params
from ..web.request_json import json_body
from ..web.requests import current
from ..web.writes import preconditions_of, written_response
from .authorizer import write_route

if TYPE_CHECKING:
    from ..domain.edits import Preconditions, Written
    from ..domain.entries import ChildKind
    from ..domain.principal import Principal

edit_routes = Blueprint(__name__)


def _request(with_body: bool = True) -> tuple[Any, Preconditions]:
    request = current(edit_routes)
    params.single_values(request.query_params, ())
    body = json_body(request.headers, request.raw_body) if with_body else None
    return body, preconditions_of(request.headers)


def _answer(written: Written, location: str | None = None) -> Response:
    bootstrap.directory().invalidate()  # this container's next read sees the write
    return written_response(written, location if written.created else None)


# Offices and contacts are patched and deleted alike: one path each, the kind named by the route.
def _patch(principal: Principal, kind: ChildKind, entry_id: str) -> Response:
    entry_id = params.entity_id("id", entry_id)
    body, preconditions = _request()
    return _answer(bootstrap.editor().patch_entry(principal, kind, entry_id, body, preconditions))


def _delete(principal: Principal, kind: ChildKind, entry_id: str) -> Response:
    entry_id = params.entity_id("id", entry_id)
    _, preconditions = _request(with_body=False)
    return _answer(bootstrap.editor().delete_entry(principal, kind, entry_id, preconditions))


@write_route(edit_routes, "/municipalities/{municipality_id}", "PUT")
def put_municipality(principal: Principal, municipality_id: str) -> Response:
    municipality_id = params.municipality_id(municipality_id)
    body, preconditions = _request()
    written = bootstrap.editor().put_municipality(principal, municipality_id, body, preconditions)
    return _answer(written, municipality_path(municipality_id))


@write_route(edit_routes, "/municipalities/{municipality_id}", "PATCH")
def patch_municipality(principal: Principal, municipality_id: str) -> Response:
    municipality_id = params.municipality_id(municipality_id)
    body, preconditions = _request()
    return _answer(bootstrap.editor().patch_municipality(principal, municipality_id, body, preconditions))


@write_route(edit_routes, "/municipalities/{municipality_id}", "DELETE")
def delete_municipality(principal: Principal, municipality_id: str) -> Response:
    municipality_id = params.municipality_id(municipality_id)
    _, preconditions = _request(with_body=False)
    return _answer(bootstrap.editor().delete_municipality(principal, municipality_id, preconditions))


@write_route(edit_routes, "/municipalities/{municipality_id}/confirmation", "POST")
def confirm_municipality(principal: Principal, municipality_id: str) -> Response:
    municipality_id = params.municipality_id(municipality_id)
    _, preconditions = _request(with_body=False)
    return _answer(bootstrap.editor().confirm_municipality(principal, municipality_id, preconditions))


@write_route(edit_routes, "/municipalities/{municipality_id}/offices", "POST")
def add_office(principal: Principal, municipality_id: str) -> Response:
    municipality_id = params.municipality_id(municipality_id)
    body, preconditions = _request()
    written = bootstrap.editor().add_office(principal, municipality_id, body, preconditions)
    return _answer(written, office_path(written.id))


@write_route(edit_routes, "/offices/{office_id}", "PATCH")
def patch_office(principal: Principal, office_id: str) -> Response:
    return _patch(principal, "office", office_id)


@write_route(edit_routes, "/offices/{office_id}", "DELETE")
def delete_office(principal: Principal, office_id: str) -> Response:
    return _delete(principal, "office", office_id)


@write_route(edit_routes, "/offices/{office_id}/contacts", "POST")
def add_contact(principal: Principal, office_id: str) -> Response:
    office_id = params.entity_id("id", office_id)
    body, preconditions = _request()
    written = bootstrap.editor().add_contact(principal, office_id, body, preconditions)
    return _answer(written, contact_path(written.id))


@write_route(edit_routes, "/contacts/{contact_id}", "PATCH")
def patch_contact(principal: Principal, contact_id: str) -> Response:
    return _patch(principal, "contact", contact_id)


@write_route(edit_routes, "/contacts/{contact_id}", "DELETE")
def delete_contact(principal: Principal, contact_id: str) -> Response:
    return _delete(principal, "contact", contact_id)
