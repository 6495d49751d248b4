"""The OpenAPI generator: operations come from app.routes, each with its annotation, or the build stops.

devtools/openapi/document.py walks the routes; devtools/openapi/operations.py holds one
annotation per (METHOD, path). These tests hand the generator app.py's routes plus (or
minus) one, as a new route or a stale annotation would leave them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chalice import AuthResponse, Blueprint, Chalice, Response
from chalice.app import AuthRequest, RouteEntry

from devtools.openapi.__main__ import main
from devtools.openapi.document import DocumentError, Routes, build
from devtools.openapi.operations import ANNOTATIONS, Annotation
from devtools.openapi.shapes import DELETED, cached_file, written

Json = dict[str, Any]


def _app_routes() -> Routes:
    from app import app

    return app.routes


def _with(*extra: Chalice) -> dict[str, dict[str, RouteEntry]]:
    """app.py's routes and those of the other apps, as one table."""
    routes = {path: dict(methods) for path, methods in _app_routes().items()}
    for other in extra:
        for path, methods in other.routes.items():
            routes.setdefault(path, {}).update(methods)
    return routes


def _extra_app() -> Chalice:
    """An app whose one route comes from a blueprint, as chalicelib/routes/ adds them."""
    blueprint = Blueprint(__name__)

    @blueprint.route("/extra-report", methods=["GET"])
    def extra_report() -> Response:
        return Response("")

    extra = Chalice(app_name="extra")
    extra.register_blueprint(blueprint)
    return extra


def _write_app() -> Chalice:
    """An app with one write route behind an authorizer, as routes/editing.py has them."""
    extra = Chalice(app_name="extra-writes")

    @extra.authorizer()
    def extra_authorizer(auth_request: AuthRequest) -> AuthResponse:
        return AuthResponse(routes=["*"], principal_id="test")

    @extra.route("/offices/{office_id}/note", methods=["PATCH"], authorizer=extra_authorizer)
    def patch_note(office_id: str) -> Response:
        return Response("")

    return extra


NOTE = Annotation(
    "editing", "Change an office's note", written("EditableOffice"), (400, 404), body="OfficePatch"
)


def test_a_route_without_an_annotation_stops_the_build_and_is_named() -> None:
    with pytest.raises(DocumentError) as raised:
        build(_with(_extra_app()))
    message = str(raised.value)
    assert "GET /extra-report (view extra_report) has no annotation" in message
    assert "devtools/openapi/operations.py" in message
    # Only the new route is wrong: no annotation is reported as unrouted.
    assert "annotated" not in message


def test_an_annotation_without_its_route_stops_the_build_and_is_named() -> None:
    annotations = {**ANNOTATIONS, ("DELETE", "/widget.js"): Annotation("widget", "Gone", DELETED)}
    with pytest.raises(DocumentError) as raised:
        build(annotations=annotations)
    message = str(raised.value)
    assert "DELETE /widget.js is annotated" in message
    assert "no such operation" in message
    assert "has no annotation" not in message


def test_a_route_removed_from_the_app_leaves_its_annotation_unrouted() -> None:
    routes = {path: methods for path, methods in _app_routes().items() if path != "/changes"}
    with pytest.raises(DocumentError, match=r"GET /changes is annotated"):
        build(routes)


def test_every_mismatch_is_named_at_once() -> None:
    annotations = {key: note for key, note in ANNOTATIONS.items() if key != ("GET", "/demo")}
    annotations[("GET", "/nowhere")] = Annotation("widget", "Nothing", cached_file("Nothing", "text/plain"))
    with pytest.raises(DocumentError) as raised:
        build(annotations=annotations)
    assert "GET /demo (view demo) has no annotation" in str(raised.value)
    assert "GET /nowhere is annotated" in str(raised.value)


def test_the_command_refuses_with_the_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A key of its own: setitem's undo removes it and leaves the table's order (the document's) alone.
    stale = Annotation("widget", "Nothing", cached_file("Nothing", "text/plain"))
    monkeypatch.setitem(ANNOTATIONS, ("GET", "/nowhere"), stale)
    assert main(["--check"]) == 1
    assert "GET /nowhere is annotated" in capsys.readouterr().err


def test_an_annotated_route_is_documented_with_what_its_route_says() -> None:
    doc = build(_with(_write_app()), {**ANNOTATIONS, ("PATCH", "/offices/{office_id}/note"): NOTE})
    operation = doc["paths"]["/offices/{office_id}/note"]["patch"]
    # The view's name, the path parameter and If-Match of a write, the token of the authorizer.
    assert operation["operationId"] == "patch_note"
    assert operation["parameters"] == [
        {"$ref": "#/components/parameters/office_id"},
        {"$ref": "#/components/parameters/If-Match"},
    ]
    assert operation["security"] == [{"bearerToken": []}]
    # A PATCH body may be a merge patch; a body can be refused; the token can be missing; throttling.
    assert set(operation["requestBody"]["content"]) == {"application/json", "application/merge-patch+json"}
    assert set(operation["responses"]) == {"200", "400", "401", "404", "413", "415", "422", "429"}


def test_a_path_parameter_must_be_declared() -> None:
    extra = Chalice(app_name="extra-parameters")

    @extra.route("/things/{thing_id}", methods=["GET"])
    def get_thing(thing_id: str) -> Response:
        return Response("")

    thing = Annotation("directory", "A thing", cached_file("The thing", "text/plain"))
    with pytest.raises(DocumentError, match=r"/things/\{thing_id\}: no path parameter thing_id"):
        build(_with(extra), {**ANNOTATIONS, ("GET", "/things/{thing_id}"): thing})


# -- shared shapes, defined once ---------------------------------------------------------------


def _operations(doc: Json) -> Iterator[tuple[str, Json]]:
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_every_error_answer_is_the_one_shared_envelope_response() -> None:
    doc = build()
    for name, operation in _operations(doc):
        for status, answer in operation["responses"].items():
            if int(status) >= 400:
                assert set(answer) == {"$ref"}, name
                assert (
                    answer["$ref"].removeprefix("#/components/responses/") in doc["components"]["responses"]
                )


def test_every_304_is_one_shape_and_comes_with_if_none_match() -> None:
    not_modified = []
    for name, operation in _operations(build()):
        parameters = [p["$ref"].rsplit("/", 1)[1] for p in operation.get("parameters", [])]
        if "304" in operation["responses"]:
            not_modified.append(operation["responses"]["304"])
            assert parameters[-1] == "If-None-Match", name
            assert "ETag" in operation["responses"]["200"]["headers"], name
        else:
            assert "If-None-Match" not in parameters, name
    assert len(not_modified) > 20
    assert all(answer == not_modified[0] for answer in not_modified)


def test_paging_parameters_are_declared_once_and_referred_to() -> None:
    doc = build()
    cursors = [
        p
        for _, operation in _operations(doc)
        for p in operation.get("parameters", [])
        if p["$ref"].endswith("/cursor")
    ]
    assert len(cursors) == 2  # GET /municipalities and GET /changes
    names = [p["name"] for p in doc["components"]["parameters"].values() if p["in"] == "query"]
    assert names.count("cursor") == 1
