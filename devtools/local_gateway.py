"""API Gateway's own answers, locally: the gateway responses the deployment configures.

Behind API Gateway, requests it refuses itself (no Authorization header on a write,
an unknown path) are answered by the gateway responses in the template (infra/), in
the API's error envelope. chalice local and Chalice's test client answer those with
their own bodies instead. `install()` makes them answer as the deployment does, from
the same table — so `make run`, the tests and production refuse alike.
"""

from __future__ import annotations

import json
from typing import Any

from chalice import local

from infra.template import GATEWAY_ANSWERS, gateway_response_headers

_installed = False


def _answer(error: local.LocalGatewayException) -> dict[str, Any]:
    body = (error.body or b"").decode("utf-8", "replace")
    if isinstance(error, local.NotAuthorizedError):
        kind = "UNAUTHORIZED"
    elif isinstance(error, local.ForbiddenError):
        kind = "MISSING_AUTHENTICATION_TOKEN" if "Missing Authentication Token" in body else "ACCESS_DENIED"
    else:
        kind = "DEFAULT_5XX"
    answer = GATEWAY_ANSWERS[kind]
    status = answer.status or error.CODE
    envelope = {"error": {"code": answer.code, "message": answer.message, "details": {}}}
    return {
        "statusCode": status,
        "headers": gateway_response_headers(answer),
        "multiValueHeaders": {},
        "body": json.dumps(envelope),
    }


def install() -> None:
    """Patch chalice's local gateway (chalice local, chalice.test.Client) once per process."""
    global _installed
    if _installed:
        return
    original = local.LocalGateway.handle_request

    def handle_request(self: local.LocalGateway, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, *args, **kwargs)
        except local.LocalGatewayException as error:
            return _answer(error)

    local.LocalGateway.handle_request = handle_request  # type: ignore[method-assign]
    _installed = True
