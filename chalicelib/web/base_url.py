"""The absolute URL a request reached the API at: the base of a card's SOURCE."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

# A DNS name or bracketed IPv6 literal, optional port: nothing else may reach a card's SOURCE.
_HOST = re.compile(
    r"^(?:[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63})*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$"
)
_PATH_PREFIX = re.compile(r"^(?:/[A-Za-z0-9._~-]+)*$")
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]"})


def source_base(
    configured: str, headers: Mapping[str, str], context: Mapping[str, Any], own_path: str
) -> str | None:
    """The absolute URL this API is reached at, for the SOURCE of its cards.

    GK_PUBLIC_BASE_URL wins when set (deployed stages should set it). Otherwise the
    request says: its Host, X-Forwarded-Proto (API Gateway sets it; without it,
    loopback means http and anything else https), and whatever API Gateway put before
    the route in the request path — the stage ("/api") or a custom domain's base path.
    A missing or malformed Host gives None: the card then carries no SOURCE.
    """
    if configured:
        return configured
    path = str(context.get("path") or "")
    prefix = path[: -len(own_path)] if path.endswith(own_path) else ""
    return _request_base(headers.get("host", ""), headers.get("x-forwarded-proto", ""), prefix)


@functools.lru_cache(maxsize=32)  # a handful of hosts in practice; bounded whatever arrives
def _request_base(host: str, forwarded_proto: str, prefix: str) -> str | None:
    host = host.strip()
    if not _HOST.match(host):
        return None
    hostname = host[: host.index("]") + 1] if host.startswith("[") else host.split(":", 1)[0]
    scheme = forwarded_proto.split(",")[0].strip().lower()
    if scheme not in ("http", "https"):
        scheme = "http" if hostname.lower() in _LOOPBACK else "https"
    if not _PATH_PREFIX.match(prefix):
        prefix = ""
    return f"{scheme}://{host.lower()}{prefix}"
