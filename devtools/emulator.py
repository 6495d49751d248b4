"""A DynamoDB-compatible server on loopback for local runs, tests and benchmarks.

moto's server mode speaks DynamoDB's wire protocol over HTTP; boto3 reaches it
through AWS_ENDPOINT_URL_DYNAMODB exactly as it would reach AWS. Data lives in
memory and is gone when the process ends. Not used in Lambda (moto is a
development dependency, imported only here).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import MutableMapping

from localservice import LOCAL_CREDENTIALS


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def use_local_credentials(env: MutableMapping[str, str] = os.environ) -> None:
    for name, value in LOCAL_CREDENTIALS.items():
        env.setdefault(name, value)


class MotoServer:
    """moto's ThreadedMotoServer on a free loopback port."""

    def __init__(self, port: int | None = None) -> None:
        from moto.server import ThreadedMotoServer

        self.port = port or free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)

    def start(self) -> MotoServer:
        # werkzeug logs every emulator request line; a local run should show ours.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()
