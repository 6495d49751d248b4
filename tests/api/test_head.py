"""HEAD answers as GET would, without the body: on the Lambda handler and over real HTTP."""

from __future__ import annotations

import http.client
import json

import pytest

from tests.support.emulators import Api, LiveApi

STEINFURT = "05566"
HIERONIMUS = "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b"


READ_PATHS = [
    "/",
    "/health",
    "/municipalities?q=steinfurt",
    f"/municipalities/{STEINFURT}",
    f"/municipalities/{STEINFURT}/peers?limit=2",
    "/offices/ki-kreis-steinfurt",
    f"/contacts/{HIERONIMUS}",
    f"/contacts/{HIERONIMUS}/vcard",
    f"/contacts/{HIERONIMUS}/qr.svg",
    "/offices/ki-kreis-steinfurt/vcard",
    f"/municipalities/{STEINFURT}/vcard",
    "/vcards?q=steinfurt",
    "/widget.js",
    "/demo",
    "/municipalities?limit=0",  # an error answers HEAD too
    "/nope",
]


def _comparable(headers: dict[str, str], path: str) -> dict[str, str]:
    # /health says its snapshot's age, so its length may differ by a digit between two answers.
    varying = ("date", "server", "content-length") if path == "/health" else ("date", "server")
    return {k.lower(): v for k, v in headers.items() if k.lower() not in varying}


@pytest.mark.parametrize("path", READ_PATHS)
def test_head_is_get_without_the_body_on_the_lambda_handler(api: Api, path: str) -> None:
    got = api.get(path, Host="127.0.0.1:8000")
    head = api.request("HEAD", path, {"Host": "127.0.0.1:8000"})
    assert head.status_code == got.status_code
    assert head.body == b""
    expected = _comparable(got.headers, path)
    if path != "/health":
        expected["content-length"] = str(len(got.body))
    assert _comparable(head.headers, path) == expected
    assert int(head.headers["Content-Length"]) > 0


def test_head_revalidates_like_get(api: Api) -> None:
    etag = api.get(f"/contacts/{HIERONIMUS}/vcard").headers["ETag"]
    head = api.request("HEAD", f"/contacts/{HIERONIMUS}/vcard", {"If-None-Match": etag})
    assert head.status_code == 304
    assert head.body == b""
    assert head.headers["ETag"] == etag


@pytest.mark.parametrize("path", [*READ_PATHS, "/nope/nowhere"])
def test_head_is_get_without_the_body_over_real_http(live_api: LiveApi, path: str) -> None:
    connection = http.client.HTTPConnection(live_api.url.removeprefix("http://"), timeout=10)
    try:
        connection.request("GET", path)
        got = connection.getresponse()
        got_body = got.read()
        connection.request("HEAD", path)
        head = connection.getresponse()
        assert head.read() == b""
        assert head.status == got.status
        assert _comparable(dict(head.getheaders()), path) == _comparable(dict(got.getheaders()), path)
        if path != "/health":
            assert head.getheader("Content-Length") == str(len(got_body))
        # The connection is still in step: a body after HEAD would be read as the next answer.
        connection.request("GET", "/health")
        after = connection.getresponse()
        assert after.status == 200
        assert json.loads(after.read())["status"] == "ok"
    finally:
        connection.close()
