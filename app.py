"""gk-directory's HTTP API: builds the app from the route blueprints in chalicelib.routes."""

from chalice import Chalice

from chalicelib.routes.cards import card_routes
from chalicelib.routes.directory import directory_routes
from chalicelib.routes.widget import widget_routes
from chalicelib.web.head import answer_heads
from chalicelib.web.preflight import answer_preflights
from chalicelib.web.unrouted import answer_unrouted

app = Chalice(app_name="gk-directory")
app.register_blueprint(directory_routes)
app.register_blueprint(card_routes)
app.register_blueprint(widget_routes)

# Last: every GET route registered above gets its OPTIONS and HEAD twins,
answer_preflights(app)
answer_heads(app)
# then every path a 405 for the methods it lacks, and every other path a 404.
answer_unrouted(app)
