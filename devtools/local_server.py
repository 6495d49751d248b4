"""The local HTTP server of `make run` and of the tests' live_api: chalice local, closer to API Gateway.

    python -m devtools.local_server [--host 127.0.0.1] [--port 8000] [--stage local] [--reload]

Without --reload it serves until stopped: chalice local restarts on every change in
the checkout, downloads included (`curl -OJ` mid-request). --reload restarts when code
under chalicelib/ changes.

Chalice's dev server (chalice.local) stands in for API Gateway, and differs from it
where this API depends on it:

- its route matcher compares segment counts, so a greedy path variable (`/{proxy+}`,
  the catch-all 404 of chalicelib.web.unrouted) matches only one segment;
- it writes the body of a HEAD response, and says Content-Length: 0 for it;
- it reads the request line as Latin-1, so a literal UTF-8 "ö" in a query string
  (curl sends it as it is) arrives as "Ã¶".

Everything else is chalice local's own code.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import signal
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import parse_qs, urlparse

from chalice.app import Chalice
from chalice.cli.factory import CLIFactory
from chalice.cli.filewatch import RESTART_REQUEST_RC
from chalice.cli.reloader import start_worker_process
from chalice.config import Config
from chalice.deploy.validate import validate_routes
from chalice.local import (
    ChaliceRequestHandler,
    CustomLocalChalice,
    HeaderType,
    LambdaEventConverter,
    LocalChalice,
    LocalDevServer,
    LocalGateway,
    MatchResult,
    RouteMatcher,
)

from devtools import local_gateway

ROOT = Path(__file__).resolve().parent.parent

# The octets of a request line beyond ASCII, as http.server hands them on (Latin-1).
_NON_ASCII = re.compile(r"[\x80-\xff]")
# A greedy path variable: the last segment of a route, "{name+}".
_GREEDY = re.compile(r"/\{(\w+)\+\}$")


class GreedyRouteMatcher(RouteMatcher):
    """Chalice's matcher, then — for a path no other route matches — greedy path variables.

    API Gateway, too, prefers any other route to a greedy one, so a catch-all never
    shadows a real route.
    """

    def __init__(self, route_urls: list[str]) -> None:
        super().__init__([url for url in route_urls if not _GREEDY.search(url)])
        # Longest parent first: /a/{rest+} is more specific than /{rest+}.
        greedy = ((url, _GREEDY.search(url)) for url in route_urls)
        self._greedy = sorted(((url, found) for url, found in greedy if found), key=lambda g: -len(g[0]))

    def match_route(self, url: str) -> MatchResult:
        try:
            return super().match_route(url)
        except ValueError:
            pass
        parsed = urlparse(url)
        parts = parsed.path.split("/")
        for route, found in self._greedy:
            parent = route[: found.start()].split("/")
            if len(parts) <= len(parent) or not "".join(parts[len(parent) :]):
                continue
            captured: dict[str, str] = {}
            for given, template in zip(parts, parent, strict=False):
                if template.startswith("{") and template.endswith("}"):
                    captured[template[1:-1]] = given
                elif given != template:
                    break
            else:
                captured[found.group(1)] = "/".join(parts[len(parent) :])
                return MatchResult(route, captured, parse_qs(parsed.query, keep_blank_values=True))
        raise ValueError(f"No matching route found for: {url}")


class DirectoryGateway(LocalGateway):
    """chalice local's stand-in for API Gateway, with greedy path variables."""

    def __init__(self, app_object: Chalice, config: Config) -> None:
        super().__init__(app_object, config)
        self.event_converter = LambdaEventConverter(
            GreedyRouteMatcher(list(app_object.routes)), app_object.api.binary_types
        )


class RequestHandler(ChaliceRequestHandler):
    """chalice local's request handler, on the DirectoryGateway."""

    path: str  # the request target, as BaseHTTPRequestHandler sets it

    def __init__(
        self, request: Any, client_address: Any, server: HTTPServer, app_object: Chalice, config: Config
    ) -> None:
        # ChaliceRequestHandler.__init__ does these two steps with its own gateway.
        self.local_gateway = DirectoryGateway(app_object, config)
        BaseHTTPRequestHandler.__init__(self, request, client_address, server)

    def parse_request(self) -> bool:
        # http.server decodes the request line as Latin-1, so a literal "ö" that curl sends
        # as two UTF-8 octets would reach the app as "Ã¶". Send the octets on as
        # percent-escapes, as a browser would: the query then decodes as UTF-8, the way
        # API Gateway reads it.
        if not super().parse_request():
            return False
        self.path = _NON_ASCII.sub(lambda found: f"%{ord(found[0]):02X}", self.path)
        return True

    def _send_http_response(self, code: int, headers: HeaderType, body: str | bytes | None) -> None:
        if self.command != "HEAD":
            super()._send_http_response(code, headers, body)
            return
        # chalice local writes a HEAD response's body, which puts a kept-alive connection
        # out of step. Send what it sends for GET, without the body; the app's HEAD routes
        # (chalicelib.web.head) say in Content-Length what GET would send.
        raw = body.encode("utf-8") if isinstance(body, str) else body or b""
        length = str(len(raw))
        for name in [name for name in headers if name.lower() == "content-length"]:
            length = str(headers.pop(name))
        self.send_response(code)
        self.send_header("Content-Length", length)
        self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
        self._send_headers(headers)


def create_server(app: Chalice, config: Config, host: str, port: int) -> LocalDevServer:
    """chalice.local.create_local_server, with this module's request handler.

    What API Gateway refuses itself (a write without a token) is answered as the
    deployment's gateway responses do (devtools.local_gateway).
    """
    local_gateway.install()
    # As chalice local does: the app's current_request becomes thread-local, since
    # the server answers each connection on a thread of its own.
    CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
    app.__class__ = CustomLocalChalice
    return LocalDevServer(app, config, host, port, handler_cls=RequestHandler)


def _stop(_signal: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _serve_reloading(argv: list[str]) -> int:
    """Run the server in a child process and start a fresh one whenever code changes.

    chalice's reloader does the watching (the child exits with RESTART_REQUEST_RC on a
    change); its parent re-executes sys.argv, which is no command for `python -m`.
    """
    env = {**os.environ, "CHALICE_WORKER": "true"}
    while True:
        child = subprocess.Popen([sys.executable, "-m", "devtools.local_server", *argv], env=env, cwd=ROOT)
        try:
            code = child.wait()
        except KeyboardInterrupt:
            child.terminate()
            child.wait(timeout=10)
            return 0
        if code != RESTART_REQUEST_RC:
            return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.local_server", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--stage", default="local")
    parser.add_argument("--reload", action="store_true", help="restart when code under chalicelib/ changes")
    args = parser.parse_args(argv)
    # As chalice local: the app's log lines on stdout, as Lambda would print them.
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    if args.reload and not os.environ.get("CHALICE_WORKER"):
        signal.signal(signal.SIGTERM, _stop)  # stopping the parent stops its worker too
        return _serve_reloading(sys.argv[1:] if argv is None else argv)

    def server() -> LocalDevServer:
        factory = CLIFactory(project_dir=str(ROOT), environ=os.environ)  # the stage sets its variables here
        config = factory.create_config_obj(chalice_stage_name=args.stage)
        app = config.chalice_app  # imports app.py with the stage's environment variables set
        validate_routes(app.routes)
        return create_server(app, config, args.host, args.port)

    if args.reload:
        # Only code: a download saved into the checkout must not restart the server.
        return int(start_worker_process(server, str(ROOT / "chalicelib")))
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how it stops
        server().serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
