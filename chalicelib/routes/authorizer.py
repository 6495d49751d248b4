"""The authorizer every write route sits behind: `Authorization: Bearer <token>`.

It verifies the token on every request (ttl_seconds=0: revocation and expiry take
effect at once) and hands the route either the token's principal or the reason it
has none. The route answers 401/403 in the error envelope, so a write is refused
alike under `chalice local`, the test client and API Gateway. A request without the
header never reaches it: API Gateway refuses it (a 401 gateway response in the same
envelope, infra/), as does chalice local. `write_route` attaches the authorizer and
the check together, so no write route can have one without the other.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalice import AuthResponse, Blueprint, Response
from chalice.app import AuthRequest, Request

from .. import bootstrap
from ..domain.errors import DirectoryError, StoreUnavailable, Unauthenticated

if TYPE_CHECKING:
    from ..domain.principal import Principal

# Token checks (auth/, storage/tokens.py) are imported by the first request that carries a
# token, not by `import app`: a widget's cold start never needs them.

auth_routes = Blueprint(__name__)


@auth_routes.authorizer(ttl_seconds=0, name="token_authorizer")
def token_authorizer(auth_request: AuthRequest) -> AuthResponse:
    try:
        from ..auth.tokens import bearer_token

        principal = bootstrap.tokens().verify(bearer_token(auth_request.token))
    except DirectoryError as error:
        # Unknown, expired, revoked, malformed — or DynamoDB out of reach: the route
        # answers (401 or 503), never saying which token exists.
        return AuthResponse(routes=["*"], principal_id="anonymous", context={"denied": type(error).__name__})
    context = {"token_id": principal.token_id, "label": principal.label, "scope": principal.scope}
    return AuthResponse(routes=["*"], principal_id=principal.token_id, context=context)


def principal_of(request: Request) -> Principal:
    """The principal the authorizer found for this request; Unauthenticated if none."""
    found: dict[str, Any] = request.context.get("authorizer") or {}
    if found.get("denied") == StoreUnavailable.__name__:
        raise StoreUnavailable("tokens cannot be checked right now")
    if not found.get("token_id"):
        raise Unauthenticated("this token is not valid (unknown, expired or revoked)")
    from ..domain.principal import Principal

    return Principal(found["token_id"], found["label"], found["scope"])


def write_route(
    routes: Blueprint, path: str, method: str
) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Register a write route behind the authorizer; the handler gets the principal first."""

    def register(handler: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(handler)
        def guarded(**path_parameters: str) -> Response:
            return handler(principal_of(routes.current_request), **path_parameters)

        # content_types */*: the route itself answers a wrong media type (415, in the envelope).
        routes.route(path, methods=[method], authorizer=token_authorizer, content_types=["*/*"])(guarded)
        return handler

    return register
