"""Helpers for the editing API's tests: tokens, authenticated calls, ETags."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from chalicelib import bootstrap
from tests.support.emulators import Api

STEINFURT = "05566"
STEINFURT_OFFICE = "ki-kreis-steinfurt"
HIERONIMUS = "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"
DUISBURG = "05112"
DUISBURG_OFFICE = "ki-duisburg"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


def token(scope: str = "admin", label: str | None = None) -> str:
    made, _ = bootstrap.tokens().create(scope, label or f"test {scope}")
    return made


def call(
    api: Api,
    method: str,
    path: str,
    *,
    bearer: str | None = None,
    body: Any = None,
    if_match: str | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    sent: dict[str, str] = dict(headers or {})
    if bearer is not None:
        sent["Authorization"] = f"Bearer {bearer}"
    if if_match is not None:
        sent["If-Match"] = if_match
    raw = b""
    if body is not None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        sent.setdefault("Content-Type", "application/json")
    response = api.request(method, path, sent, raw)
    text = response.body.decode("utf-8") if response.body else ""
    parsed = json.loads(text) if text and text[:1] in "{[" else text
    return Answer(response.status_code, dict(response.headers), parsed)


def etag(api: Api, path: str, bearer: str) -> str:
    found = call(api, "GET", path, bearer=bearer).header("ETag")
    assert found, f"no ETag on {path}"
    return found
