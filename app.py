"""gk-directory's HTTP API: routes only. The work happens in chalicelib."""

from typing import cast

from chalice import Chalice, Response
from chalice.app import Request

from chalicelib import read_api
from chalicelib.http import answer_preflights, api
from chalicelib.vcard_routes import vcard_routes
from chalicelib.widget_routes import widget_routes

app = Chalice(app_name="gk-directory")
app.register_blueprint(widget_routes)
app.register_blueprint(vcard_routes)


def _request() -> Request:
    # Chalice sets current_request before it calls a view; the Optional is for its own typing.
    return cast(Request, app.current_request)


@app.route("/")
@api
def index() -> Response:
    return read_api.index(_request())


@app.route("/health")
@api
def health() -> Response:
    return read_api.health(_request())


@app.route("/municipalities")
@api
def list_municipalities() -> Response:
    return read_api.list_municipalities(_request())


@app.route("/municipalities/{municipality_id}")
@api
def get_municipality(municipality_id: str) -> Response:
    return read_api.municipality(municipality_id, _request())


@app.route("/municipalities/{municipality_id}/peers")
@api
def get_peers(municipality_id: str) -> Response:
    return read_api.peers(municipality_id, _request())


@app.route("/offices/{office_id}")
@api
def get_office(office_id: str) -> Response:
    return read_api.office(office_id, _request())


@app.route("/contacts/{contact_id}")
@api
def get_contact(contact_id: str) -> Response:
    return read_api.contact(contact_id, _request())


# Last: every GET route registered above, blueprints included, gets its OPTIONS twin.
answer_preflights(app)
