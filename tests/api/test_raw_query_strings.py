"""Query strings as curl sends them over real HTTP: literal UTF-8 octets, percent-encoding, and
octets that are not UTF-8 at all."""

from __future__ import annotations

import json
import socket

from tests.support.emulators import LiveApi


def raw_get(live_api: LiveApi, target: bytes) -> tuple[int, bytes]:
    """A request line as curl sends it for a literal 'ö': raw UTF-8 octets, not percent-encoded."""
    host, port = live_api.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"GET " + target + b" HTTP/1.1\r\nHost: " + host.encode() + b"\r\nConnection: close\r\n\r\n"
        )
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def test_a_literal_umlaut_in_the_query_finds_the_place(live_api: LiveApi) -> None:
    status, body = raw_get(live_api, "/municipalities?q=Mönchengladbch".encode())
    assert status == 200
    result = json.loads(body)
    assert [item["name"] for item in result["items"]][:1] == ["Stadt Mönchengladbach"]
    assert result["links"]["self"] == "/municipalities?q=M%C3%B6nchengladbch"


def test_a_percent_encoded_umlaut_still_works(live_api: LiveApi) -> None:
    status, body = raw_get(live_api, b"/municipalities?q=M%C3%B6nchengladbch")
    assert status == 200
    assert json.loads(body)["links"]["self"] == "/municipalities?q=M%C3%B6nchengladbch"


def test_octets_that_are_not_utf_8_do_not_break_the_server(live_api: LiveApi) -> None:
    status, body = raw_get(live_api, b"/municipalities?q=M\xf6nchengladbach")
    assert status == 200
    assert "items" in json.loads(body)
