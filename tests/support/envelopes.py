"""The error envelope of the API, checked strictly: the shape clients parse, nothing more."""

from __future__ import annotations

import json
import re
from typing import Any

ERROR_KEYS = {"code", "message", "details"}
# What a leaked Python stack trace looks like, in any part of the body.
_STACK_FRAME = re.compile(r'Traceback \(most recent call last\)|File "[^"]*", line \d+')


def error_of(response: Any, status: int) -> dict[str, Any]:
    """The error of a chalice.test response, once it is exactly the documented envelope.

    `{"error": {"code", "message", "details"}}` and nothing else, as uncacheable JSON a
    page on any origin may read, with no stack frame anywhere in the body.
    """
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    text = response.body.decode("utf-8")
    assert not _STACK_FRAME.search(text), text
    envelope = json.loads(text)
    assert set(envelope) == {"error"}, envelope
    error: dict[str, Any] = envelope["error"]
    assert set(error) == ERROR_KEYS, error
    assert isinstance(error["code"], str) and re.fullmatch(r"[a-z]+(_[a-z]+)*", error["code"]), error
    assert isinstance(error["message"], str) and error["message"].strip(), error
    assert isinstance(error["details"], dict), error
    return error
