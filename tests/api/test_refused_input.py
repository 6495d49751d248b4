"""What a write refuses, on every write path, and that no refusal repeats what was sent.

Issue 16: letters in phone numbers (items 3), invisible characters (5), e-mails and URLs
that change links (6) are 422s naming the field; and no error message or detail of any
write route or of the import holds a submitted value (12) — the field and the rule only.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from admin.cli import cli
from admin.context import Backend
from chalicelib.domain.errors import DirectoryError
from chalicelib.write import importer
from chalicelib.write.reference import load_reference
from tests.support.editing import HIERONIMUS, STEINFURT, STEINFURT_OFFICE, call, token
from tests.support.emulators import Api

# Marker values: each holds MARKER, in the shapes that reach different validators.
MARKER = "zqxmarker"
MARKED = [
    f"<script>{MARKER}</script>",
    f"{MARKER}@{MARKER}.example",
    f"x?cc={MARKER}%40evil.example@example.org",
    f"0251 / {MARKER}",
    f"https://{MARKER}:pw@{MARKER}.example/",
    f"{MARKER}\u202e",
    f"{MARKER} " * 60,  # too long for every text field
    f"2019-{MARKER}",
]

CONTACT = {
    "title": "Dr.",
    "given_name": "Erika",
    "family_name": "Beispiel",
    "function": "Koordination",
    "phone": "02551 69-2999",
    "fax": "02551 69-2998",
    "email": "e.beispiel@example.org",
    "languages": ["de"],
    "topics": ["Ausbildung"],
    "public": True,
}
OFFICE = {
    "name": "Kommunales Integrationszentrum",
    "role": "Koordinierende Stelle",
    "address": {
        "street": "Tecklenburger Str. 10",
        "postal_code": "48565",
        "locality": "Steinfurt",
        "note": "Raum 3",
    },
    "phone": "02551 69-2743",
    "fax": "02551 69-2744",
    "email": "ki@example.org",
    "website": "https://www.kreis-steinfurt.de/",
}
MUNICIPALITY_PATCH = {
    "website": "https://www.kreis-steinfurt.de/",
    "participation": {
        "status": "confirmed",
        "since": "2019",
        "sources": ["https://example.org/a"],
        "milestones": [
            {"kind": "joined", "date": "2019-02", "label": "Beitritt", "source": "https://example.org/b"}
        ],
    },
}


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every string, number or boolean in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from leaves(item, (*path, n))
    else:
        yield path


def with_value(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(body)
    target = changed
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return changed


def marked_bodies(body: Any) -> Iterator[Any]:
    for path in leaves(body):
        for marked in MARKED:
            yield with_value(body, path, marked)
        yield with_value(body, path, [MARKED[0]])
        yield with_value(body, path, {MARKER: MARKED[0]})


def assert_unechoed(status: int, answer: Any) -> None:
    """An error answer (never a 5xx) says nothing of the marked value; what was written may."""
    assert status < 500, answer
    if status < 400:
        return
    text = json.dumps(answer, ensure_ascii=False).casefold()
    assert MARKER not in text, text[:500]


def _put_body(api: Api, bearer: str) -> Any:
    return call(api, "GET", f"/municipalities/{STEINFURT}", bearer=bearer).body


ROUTES = [
    ("PATCH", f"/contacts/{HIERONIMUS}", CONTACT),
    ("POST", f"/offices/{STEINFURT_OFFICE}/contacts", CONTACT),
    ("PATCH", f"/offices/{STEINFURT_OFFICE}", OFFICE),
    ("POST", f"/municipalities/{STEINFURT}/offices", {**OFFICE, "contacts": [CONTACT]}),
    ("PATCH", f"/municipalities/{STEINFURT}", MUNICIPALITY_PATCH),
]


@pytest.mark.parametrize(
    ("method", "path", "body"), ROUTES, ids=[f"{m} {p.split('/')[1]}" for m, p, _ in ROUTES]
)
def test_no_write_route_repeats_a_marked_value(api: Api, method: str, path: str, body: Any) -> None:
    bearer = token()
    refused = 0
    for sent in marked_bodies(body):
        answer = call(api, method, path, bearer=bearer, body=sent, if_match="*")
        assert_unechoed(answer.status, answer.body)
        refused += answer.status == 422
    assert refused > len(list(leaves(body))) * 2  # most marked values are refused, each without an echo


def test_a_put_of_a_whole_municipality_repeats_no_marked_value(api: Api) -> None:
    bearer = token()
    body = _put_body(api, bearer)
    paths = list(leaves(body))
    assert len(paths) > 20
    for path in paths:
        for marked in (MARKED[0], MARKED[1], MARKED[3], MARKED[5]):
            sent = with_value(body, path, marked)
            answer = call(api, "PUT", f"/municipalities/{STEINFURT}", bearer=bearer, body=sent, if_match="*")
            assert_unechoed(answer.status, answer.body)


@pytest.mark.parametrize(
    "path",
    [
        f"/contacts/{MARKER}",
        f"/offices/{MARKER}",
        f"/offices/{MARKER}/contacts",
        f"/municipalities/{MARKER}",
        f"/municipalities/{MARKER}/offices",
        "/contacts/%3Cscript%3E" + MARKER,
        f"/contacts/{HIERONIMUS}/{MARKER}",
    ],
)
@pytest.mark.parametrize("method", ["PATCH", "POST", "PUT", "DELETE"])
def test_no_write_route_repeats_a_marked_id(api: Api, method: str, path: str) -> None:
    answer = call(api, method, path, bearer=token(), body=CONTACT, if_match="*")
    assert 400 <= answer.status < 500
    assert_unechoed(answer.status, answer.body)


# -- items 3, 5, 6 on the API ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("phone", "0251 / folgt", "letters"),
        ("phone", "0800 FLOWERS", "letters"),
        ("fax", "0251 69 ZWEI", "letters"),
        ("given_name", "Ad\u200bmin", "invisible"),
        ("family_name", "\u202enamrieB", "direction-changing"),
        ("function", "Leitung\u2066\u2069", "invisible"),
        ("email", "x?cc=evil%40evil.example@example.org", "mailto"),
    ],
)
def test_the_api_refuses_what_would_publish_something_else(
    api: Api, field: str, value: str, rule: str
) -> None:
    bearer = token()
    before = call(api, "GET", f"/contacts/{HIERONIMUS}", bearer=bearer).body
    answer = call(api, "PATCH", f"/contacts/{HIERONIMUS}", bearer=bearer, body={field: value}, if_match="*")
    assert answer.status == 422
    (error,) = answer.body["error"]["details"]["errors"]
    assert error["pointer"] == f"/{field}"
    assert rule in error["message"]
    assert call(api, "GET", f"/contacts/{HIERONIMUS}", bearer=bearer).body == before


def test_the_api_refuses_an_office_name_with_a_bidi_override_and_a_website_with_a_login(api: Api) -> None:
    bearer = token()
    body = {"name": "KI \u202eevlK", "website": "https://user:pw@www.kreis-steinfurt.de/"}
    answer = call(api, "PATCH", f"/offices/{STEINFURT_OFFICE}", bearer=bearer, body=body, if_match="*")
    assert answer.status == 422
    assert {e["pointer"] for e in answer.body["error"]["details"]["errors"]} == {"/name", "/website"}


# -- the import: the library and the command line -------------------------------------------


def _shipped_with(path: tuple[Any, ...], value: Any) -> Any:
    document = json.loads(importer.DEFAULT_DIRECTORY.read_text(encoding="utf-8"))
    steinfurt = next(n for n, m in enumerate(document["municipalities"]) if m["id"] == STEINFURT)
    return with_value(document, ("municipalities", steinfurt, *path), value)


IMPORT_FIELDS = [
    ("name",),
    ("seat",),
    ("website",),
    ("participation", "status"),
    ("offices", 0, "name"),
    ("offices", 0, "email"),
    ("offices", 0, "phone"),
    ("offices", 0, "contacts", 0, "given_name"),
    ("offices", 0, "contacts", 0, "phone"),
    ("offices", 0, "contacts", 0, "email"),
    ("offices", 0, "contacts", 0, "function"),
    ("id",),
]


@pytest.mark.parametrize("field", IMPORT_FIELDS, ids=lambda f: "/".join(map(str, f)))
def test_the_import_repeats_no_marked_value(api: Api, tmp_path: Path, field: tuple[Any, ...]) -> None:
    refused = 0
    for marked in MARKED:
        path = tmp_path / "directory.json"
        path.write_text(json.dumps(_shipped_with(field, marked), ensure_ascii=False), encoding="utf-8")
        try:
            importer.read_directory(path, load_reference(importer.DEFAULT_REFERENCE))
        except DirectoryError as error:
            said = f"{error.message} {json.dumps(error.details, ensure_ascii=False)}".casefold()
            assert MARKER not in said
        else:
            continue  # admitted (a name may hold "<script>"): nothing to refuse
        refused += 1
        result = CliRunner().invoke(
            cli,
            ["import", str(path), "--endpoint-url", api.endpoint, "--table", api.store.table_name],
            obj=Backend(environ={}, local_service=lambda: None),
        )
        assert result.exit_code == 1, result.output
        assert MARKER not in result.output.casefold()
        assert "nothing was written" in result.output
    assert refused >= 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (("offices", 0, "contacts", 0, "phone"), "0251 / folgt"),
        (("offices", 0, "name"), "KI \u202eevlK"),
        (("offices", 0, "contacts", 0, "email"), "x?cc=evil%40evil.example@example.org"),
        (("offices", 0, "website"), "https://user:pw@www.kreis-steinfurt.de/"),
    ],
)
def test_the_import_refuses_them_too(api: Api, tmp_path: Path, field: tuple[Any, ...], value: str) -> None:
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(_shipped_with(field, value), ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["import", str(path), "--endpoint-url", api.endpoint, "--table", api.store.table_name],
        obj=Backend(environ={}, local_service=lambda: None),
    )
    assert result.exit_code == 1, result.output
    assert "/".join(map(str, field[-1:])) in result.output.replace("contact_", "").replace("office_", "")
