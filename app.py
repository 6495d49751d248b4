"""gk-directory's HTTP API: builds the app from the route blueprints in chalicelib.routes."""

from chalicelib.web import collector

# First, before the imports below: in Lambda no garbage collection until the first
# answer is out (web/collector.py; the edge releases it).
collector.hold_until_first_answer()

# ruff: noqa: E402 - the imports come after holding the collector, on purpose

from chalicelib.routes.api_document import api_document_routes
from chalicelib.routes.authorizer import auth_routes
from chalicelib.routes.cards import card_routes
from chalicelib.routes.changes import change_routes
from chalicelib.routes.directory import directory_routes
from chalicelib.routes.edit_page import edit_page_routes
from chalicelib.routes.editing import edit_routes
from chalicelib.routes.widget import widget_routes
from chalicelib.web.edge import DirectoryApp
from chalicelib.web.errors import answer_errors
from chalicelib.web.head import answer_heads
from chalicelib.web.preflight import answer_preflights
from chalicelib.web.requests import accept_any_content_type_on_reads
from chalicelib.web.unrouted import answer_unrouted

# Every answer leaves through the edge (web/edge.py): Chalice's own errors in the envelope,
# nosniff on everything, HSTS on the editing page.
app = DirectoryApp(app_name="gk-directory")
app.register_blueprint(auth_routes)  # the token authorizer, before the routes that use it
app.register_blueprint(directory_routes)
app.register_blueprint(card_routes)
app.register_blueprint(change_routes)
app.register_blueprint(edit_routes)
app.register_blueprint(widget_routes)
app.register_blueprint(edit_page_routes)  # /edit: the editing page for coordinating offices
app.register_blueprint(api_document_routes)

# Last: every GET route registered above gets its OPTIONS and HEAD twins,
answer_preflights(app)
answer_heads(app)
# then every path a 405 for the methods it lacks, and every other path a 404;
answer_unrouted(app)
# and no read is refused for the Content-Type it names (it has no body).
accept_any_content_type_on_reads(app)
# Errors are mapped here, once, for every route above: no route wears a decorator for it.
answer_errors(app)
