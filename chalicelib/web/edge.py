"""The edge: what every answer of the app gets, applied once to the answer Lambda returns.

Whatever produced an answer — a route, an error, a 304, Chalice itself (a 415, a
malformed body, its 500 for an exception no one expected) — it leaves the app through
`DirectoryApp.__call__`, which puts Chalice's own error bodies into our envelope
(errors.enveloped) and adds the security headers (security.secured); after the first
answer of a Lambda cold start it gives the garbage collector back (collector.py).

Here rather than as Chalice http middlewares: Chalice builds its middleware chain anew
for every request, and the two layers cost a widget's warm read about a twentieth of its
time (`make bench`, detail_73_vs_bare). The answer dict is what Lambda, chalice local
and Chalice's test client all receive, so the edge holds for each of them.
"""

from __future__ import annotations

from typing import Any

from chalice import Chalice

from . import collector
from .errors import enveloped
from .security import secured


class DirectoryApp(Chalice):
    """Chalice, with every answer passing the edge."""

    def __call__(self, event: Any, context: Any) -> dict[str, Any]:
        try:
            return secured(enveloped(super().__call__(event, context)), event)
        finally:
            collector.release()  # held through a Lambda cold start (collector.py)
