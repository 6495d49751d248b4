"""Emulator helpers shared by fixtures, tests and benchmarks: DynamoDB over HTTP on loopback."""

from __future__ import annotations

import os
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import pytest

from chalicelib import bootstrap
from chalicelib.storage.store import DirectoryStore
from chalicelib.write.writer import DirectoryWriter

if TYPE_CHECKING:  # chalice.test is only needed where a client is made (the fixtures)
    from chalice.test import Client, HTTPResponse

ROOT = Path(__file__).resolve().parents[2]
DYNALITE = ROOT / "node_modules" / ".bin" / "dynalite"


def require_or_skip(variable: str, reason: str) -> None:
    """Skip for a developer without the component; fail in CI, which sets the variable."""
    if os.environ.get(variable) == "1":
        pytest.fail(f"{reason} — and {variable}=1 says it is required", pytrace=False)
    pytest.skip(reason)


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def make_store(endpoint: str) -> DirectoryStore:
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="eu-central-1")
    store = DirectoryStore(client, f"gk-test-{uuid.uuid4().hex[:12]}")
    store.create_table()
    return store


@dataclass
class Api:
    """The app under Chalice's test client, with the table it serves and a writer into it."""

    client: Client
    store: DirectoryStore
    writer: DirectoryWriter
    endpoint: str

    def get(self, path: str, **headers: str) -> HTTPResponse:
        """GET `path` through the Lambda handler; headers by name (`Accept="text/vcard"`)."""
        return self.client.http.get(path, headers=headers)

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> HTTPResponse:
        """Any method, with the headers and body exactly as given."""
        return self.client.http.request(method, path, headers=headers or {}, body=body)


@dataclass
class LiveApi:
    url: str
    store: DirectoryStore
    writer: DirectoryWriter


def configure_service(monkeypatch: pytest.MonkeyPatch, endpoint: str, table: str, **settings: str) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
    monkeypatch.setenv("GK_TABLE_NAME", table)
    monkeypatch.setenv("GK_REFRESH_SECONDS", settings.get("refresh", "0"))
    monkeypatch.setenv("GK_DYNAMODB_TIMEOUT_SECONDS", "1")
    monkeypatch.setenv("GK_DYNAMODB_MAX_ATTEMPTS", "1")
    bootstrap.reset()
