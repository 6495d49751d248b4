"""The base of a card's SOURCE: the configured public URL, else what the request says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib import bootstrap
from chalicelib.web import base_url

HIERONIMUS = "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"


@pytest.fixture
def request_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("GK_TABLE_NAME", "gk-unit")
    monkeypatch.delenv("GK_PUBLIC_BASE_URL", raising=False)
    bootstrap.reset()
    yield monkeypatch
    bootstrap.reset()


OWN = f"/contacts/{HIERONIMUS}/vcard"


@pytest.mark.parametrize(
    ("headers", "context_path", "base"),
    [
        ({"host": "127.0.0.1:8000"}, OWN, "http://127.0.0.1:8000"),
        ({"host": "localhost"}, OWN, "http://localhost"),
        ({"host": "[::1]:8000"}, OWN, "http://[::1]:8000"),
        ({"host": "API.Example.org"}, OWN, "https://api.example.org"),
        ({"host": "127.0.0.1:8000", "x-forwarded-proto": "https"}, OWN, "https://127.0.0.1:8000"),
        ({"host": "abc.execute-api.eu-central-1.amazonaws.com", "x-forwarded-proto": "https"},
         "/api" + OWN, "https://abc.execute-api.eu-central-1.amazonaws.com/api"),
        ({"host": "api.example.org", "x-forwarded-proto": "gopher"}, "/v1/x" + OWN, "https://api.example.org/v1/x"),
        ({"host": "api.example.org"}, "/elsewhere", "https://api.example.org"),
        ({"host": "api.example.org"}, "/a b" + OWN, "https://api.example.org"),  # odd prefix: dropped
        ({"host": "evil.example/x?y="}, OWN, None),
        ({"host": "a b"}, OWN, None),
        ({}, OWN, None),
    ],
)
def test_source_base_comes_from_the_request(
    request_settings: pytest.MonkeyPatch, headers: dict[str, str], context_path: str, base: str | None
) -> None:
    assert base_url.source_base("", headers, {"path": context_path}, OWN) == base


def test_configured_public_base_url_wins(request_settings: pytest.MonkeyPatch) -> None:
    request_settings.setenv("GK_PUBLIC_BASE_URL", "https://verzeichnis.example.org/api/")
    bootstrap.reset()
    headers = {"host": "127.0.0.1:8000"}
    configured = bootstrap.settings().public_base_url
    assert base_url.source_base(configured, headers, {"path": OWN}, OWN) == "https://verzeichnis.example.org/api"
