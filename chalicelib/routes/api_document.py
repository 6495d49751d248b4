"""`GET /openapi.json`: the API's OpenAPI 3.1 document.

The document is generated at build time (`make openapi`, devtools/openapi/) and
shipped as a package asset, so serving it imports no pydantic and builds nothing:
it is a file with an ETag, like the widget.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from ..web.assets import serve_asset
from ..web.requests import current

OPENAPI_TYPE = "application/json; charset=utf-8"
# The document changes only with a deployment; the ETag keeps revalidation cheap.
CACHE_CONTROL = "public, max-age=300"

api_document_routes = Blueprint(__name__)


@api_document_routes.route("/openapi.json", methods=["GET"])
def openapi() -> Response:
    return serve_asset("openapi.json", current(api_document_routes).headers, OPENAPI_TYPE, CACHE_CONTROL)
