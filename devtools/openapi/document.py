"""The OpenAPI 3.1 document of the API: one operation per route of app.py, plus its annotation.

The operations come from `app.routes`, so a route cannot be left out: one without an
annotation (operations.py), or an annotation without its route, stops the build with
both named. Request bodies come from the write models (chalicelib/write/models.py),
responses from devtools/openapi/models.py, error codes from the one error table
(chalicelib/web/errors.py) and the gateway's own answers (infra/template.py). The
result is committed as chalicelib/assets/openapi.json; `python -m devtools.openapi`
rebuilds it, and tests/api/test_openapi_*.py fail when the committed file is out of
date or a real response does not match its schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from chalice.app import RouteEntry

from chalicelib.domain.links import TEMPLATES
from chalicelib.web.request_json import JSON_TYPES

from .errors import ERROR_NAMES, error_reference, error_responses
from .headers import header_components
from .operations import ANNOTATIONS, Annotation
from .parameters import IF_MATCH, IF_NONE_MATCH, PARAMETERS, PATH_PARAMETERS
from .schemas import BODY_EXAMPLES, component_schemas
from .shapes import JSON, json_body

__all__ = ["ERROR_NAMES", "DocumentError", "build", "operations_of", "render"]

Json = dict[str, Any]
Routes = Mapping[str, Mapping[str, RouteEntry]]
Key = tuple[str, str]  # (METHOD, path)

VERSION = "1.0.0"
# Views app.py derives from the routes (chalicelib/web/: the CORS preflights, the HEAD
# twins, the 405s and the catch-all 404): the document describes them once, in its
# description and components/responses, not as operations.
DERIVED_VIEWS = "chalicelib.web."
# Every route may be throttled by the gateway (infra/: stage throttling).
ALWAYS = (429,)
# A route that reads a body can refuse it: too large, not JSON, not a valid entry.
BODY_ERRORS = (413, 415, 422)
TOKEN_ERRORS = (401,)


class DocumentError(Exception):
    """The routes and their annotations disagree: the document would be wrong."""


def operations_of(routes: Routes) -> dict[Key, RouteEntry]:
    """(METHOD, path) → the route of every operation: what app.py routes, less what it derives."""
    return {
        (method, path): entry
        for path, methods in routes.items()
        for method, entry in methods.items()
        if not entry.view_function.__module__.startswith(DERIVED_VIEWS)
    }


def _matched(
    routes: Routes, annotations: Mapping[Key, Annotation]
) -> list[tuple[Key, RouteEntry, Annotation]]:
    """Each annotation with its route, in the annotations' order; DocumentError names every mismatch."""
    routed = operations_of(routes)
    problems = [
        f"{method} {path} (view {routed[method, path].view_name}) has no annotation: "
        "add one to ANNOTATIONS in devtools/openapi/operations.py"
        for method, path in routed
        if (method, path) not in annotations
    ]
    problems += [
        f"{method} {path} is annotated in devtools/openapi/operations.py but app.py routes no such "
        "operation: remove the annotation or correct its method and path"
        for method, path in annotations
        if (method, path) not in routed
    ]
    if problems:
        raise DocumentError("the OpenAPI document cannot be built:\n  " + "\n  ".join(problems))
    return [(key, routed[key], annotation) for key, annotation in annotations.items()]


def _path_parameters(path: str) -> list[Json]:
    names = re.findall(r"\{([^}]+)\}", path)
    missing = [name for name in names if name not in PATH_PARAMETERS]
    if missing:
        raise DocumentError(
            f"{path}: no path parameter {', '.join(missing)} in devtools/openapi/parameters.py"
        )
    return [PATH_PARAMETERS[name] for name in names]


def _operation(method: str, path: str, route: RouteEntry, note: Annotation) -> Json:
    token_required = route.authorizer is not None
    parameters = _path_parameters(path)
    if method != "GET":
        parameters.append(IF_MATCH)
    parameters += note.parameters
    if "304" in note.answers:
        parameters.append(IF_NONE_MATCH)
    errors = {*note.errors, *ALWAYS}
    if token_required:
        errors.update(TOKEN_ERRORS)
    if note.body:
        errors.update(BODY_ERRORS)
    out: Json = {"operationId": route.view_name, "summary": note.summary, "tags": [note.tag]}
    if note.description:
        out["description"] = note.description
    if parameters:
        out["parameters"] = parameters
    if note.body:
        media_types = JSON_TYPES if method == "PATCH" else (JSON,)
        out["requestBody"] = json_body(note.body, media_types, BODY_EXAMPLES[note.body])
    out["responses"] = {**note.answers, **{str(status): error_reference(status) for status in sorted(errors)}}
    if token_required:
        out["security"] = [{"bearerToken": []}]
    elif note.optional_token:
        out["security"] = [{}, {"bearerToken": []}]
    return out


def _paths(routes: Routes, annotations: Mapping[Key, Annotation]) -> Json:
    paths: Json = {}
    for (method, path), route, note in _matched(routes, annotations):
        paths.setdefault(path, {})[method.lower()] = _operation(method, path, route, note)
    return paths


DESCRIPTION = (
    "Reads are public, cacheable (ETag/304, Cache-Control) and open to any origin (CORS). "
    "Writes need a bearer token and If-Match with the entry's ETag. Every GET answers HEAD "
    "alike without the body; a path answers the methods it lacks with 405 (Allow lists "
    "its methods) and an unknown path with 404. Every error is "
    '`{"error": {"code", "message", "details"}}`, from the API and from the gateway alike. '
    f"Link templates: {', '.join(sorted(TEMPLATES))} (see GET /)."
)
TAGS = [
    {"name": "directory", "description": "Municipalities, offices and contact persons as JSON"},
    {"name": "cards", "description": "vCards (3.0) and jCards, and QR codes of them"},
    {"name": "editing", "description": "Writes, entry by entry, with a token and If-Match"},
    {"name": "widget", "description": "The embeddable widget"},
    {"name": "contract", "description": "This document"},
]


def build(routes: Routes | None = None, annotations: Mapping[Key, Annotation] = ANNOTATIONS) -> Json:
    """The whole document, deterministic: the same code gives the same bytes.

    `routes` defaults to app.py's; tests hand in others.
    """
    if routes is None:
        from app import app

        routes = app.routes
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "gk-directory",
            "version": VERSION,
            "summary": 'The directory of the NRW initiative "Gemeinsam klappt\'s": municipalities, offices, '
            "contact persons",
            "description": DESCRIPTION,
        },
        "tags": TAGS,
        "paths": _paths(routes, annotations),
        "components": {
            "schemas": component_schemas(),
            "parameters": PARAMETERS,
            "headers": header_components(),
            "responses": error_responses(),
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A write token (gk_…), made by an admin with the command line",
                }
            },
        },
    }


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
