"""The committed OpenAPI document: current, valid OpenAPI 3.1, and one operation per route."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from devtools.openapi.document import ERROR_NAMES, build, render
from tests.support.openapi import DOCUMENT, document, documented_operations
from tests.support.openapi import validate as validate_instance


def _routed_operations() -> dict[tuple[str, str], str]:
    """(path, METHOD) → view name of every route app.py has, computed now, whatever registered it.

    Not operations of their own: the CORS preflights (OPTIONS twins of GET routes), a HEAD
    that mirrors its path's GET, and the refusals of web/unrouted.py — the 405 for a method a
    path lacks and the 404 of the catch-all path — which the document describes once
    (components/responses) rather than as operations.
    """
    from app import app
    from chalicelib.web.preflight import preflight
    from chalicelib.web.unrouted import CATCH_ALL

    routed = {}
    for path, methods in app.routes.items():
        for method, entry in methods.items():
            if method == "OPTIONS" and entry.view_function is preflight:
                continue
            if method == "HEAD" and "GET" in methods:
                continue
            if path == CATCH_ALL or entry.view_name.startswith("refuse"):
                continue
            routed[(path, method)] = entry.view_name
    return routed


def test_the_committed_document_is_current() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == render(), (
        "chalicelib/assets/openapi.json is out of date: run `make openapi` and commit it"
    )


def test_building_twice_gives_the_same_bytes() -> None:
    assert render() == render()


def test_openapi_spec_validator_accepts_it() -> None:
    doc = document()
    assert doc["openapi"].startswith("3.1.")
    validate(doc)


def test_the_validator_would_catch_a_broken_document() -> None:
    broken: dict[str, Any] = json.loads(json.dumps(build()))
    broken["paths"]["/health"]["get"]["responses"]["200"]["headers"]["Cache-Control"] = {"schema": 5}
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_every_route_is_documented_and_every_operation_routed() -> None:
    routed = set(_routed_operations())
    documented = documented_operations()
    assert routed - documented == set(), "routes without an operation in the document"
    assert documented - routed == set(), "operations in the document that app.py does not route"


def test_operation_ids_are_the_view_names() -> None:
    doc = document()
    for (path, method), view in _routed_operations().items():
        assert doc["paths"][path][method.lower()]["operationId"] == view, f"{method} {path}"


def test_every_error_code_of_the_api_is_documented() -> None:
    from chalicelib.web.errors import ERRORS

    responses = document()["components"]["responses"]
    for status, code, _ in ERRORS.values():
        envelope = responses[ERROR_NAMES[status]]["content"]["application/json"]["schema"]
        assert code in envelope["allOf"][1]["properties"]["error"]["properties"]["code"]["enum"], code


def test_path_parameters_match_the_templates() -> None:
    doc = document()
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            names = {
                doc["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]]["name"]
                for p in operation.get("parameters", [])
                if doc["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]]["in"] == "path"
            }
            assert names == {part[1:-1] for part in path.split("/") if part.startswith("{")}, (method, path)


def test_examples_are_valid_for_their_schemas() -> None:
    doc = document()
    checked = 0
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
                if "example" in content:
                    validate_instance(content["example"], content["schema"], f"{method} {path} {media_type}")
                    checked += 1
    assert checked >= 6
