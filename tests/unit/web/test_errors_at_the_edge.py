"""Errors are mapped once, where app.py registers the routes: no route needs a decorator."""

from __future__ import annotations

import json

from chalice import Blueprint, Chalice, Response
from chalice.test import Client

from chalicelib.domain.errors import NotFound
from chalicelib.web.edge import DirectoryApp
from chalicelib.web.errors import answer_errors
from chalicelib.web.head import answer_heads


def _app() -> Chalice:
    routes = Blueprint(__name__)

    @routes.route("/things/{thing_id}", methods=["GET"])
    def thing(thing_id: str) -> Response:  # no decorator of any kind
        raise NotFound(f"no thing {thing_id}", {"id": thing_id})

    @routes.route("/broken", methods=["GET"])
    def broken() -> Response:
        raise RuntimeError("a fault the route did not expect")

    @routes.route("/things", methods=["POST"])
    def add() -> Response:
        return Response("never reached for text/plain", status_code=201)

    app = DirectoryApp(app_name="edge-test")
    app.register_blueprint(routes)
    answer_heads(app)
    answer_errors(app)
    return app


def test_a_route_without_a_decorator_answers_a_domain_error_in_the_envelope() -> None:
    with Client(_app()) as client:
        response = client.http.get("/things/42")
        head = client.http.request("HEAD", "/things/42")
    assert response.status_code == 404
    assert json.loads(response.body) == {
        "error": {"code": "not_found", "message": "no thing 42", "details": {"id": "42"}}
    }
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert head.status_code == 404 and head.body == b""  # the HEAD twin answers it too, without a body


def test_an_unexpected_fault_is_a_500_in_the_envelope_without_a_trace() -> None:
    with Client(_app()) as client:
        response = client.http.get("/broken")
    assert response.status_code == 500
    assert json.loads(response.body) == {
        "error": {"code": "internal_error", "message": "an internal error occurred", "details": {}}
    }
    assert b"RuntimeError" not in response.body


def test_chalice_s_own_refusals_come_in_the_envelope() -> None:
    with Client(_app()) as client:
        response = client.http.post("/things", headers={"Content-Type": "text/plain"}, body=b"x")
    assert response.status_code == 415
    error = json.loads(response.body)["error"]
    assert error["code"] == "unsupported_media_type"
    assert "text/plain" not in error["message"]  # never repeats what the client sent


def test_no_route_of_the_app_answers_outside_the_envelope() -> None:
    from app import app

    for path, methods in app.routes.items():
        for method, entry in methods.items():
            if method == "OPTIONS":  # preflights: a fixed table of headers, nothing that raises
                continue
            assert getattr(entry.view_function, "answers_errors", False), (method, path)
