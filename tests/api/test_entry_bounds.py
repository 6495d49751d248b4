"""Adding an office or a contact keeps the municipality within the models' bounds.

Schemathesis added a hundred offices to one municipality through POST …/offices, though
the model allows 20 and a PUT of the record read back was then refused: appends now
check the bound first, so every stored record stays one the write models accept.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.write import editor
from chalicelib.write.models import MAX_OFFICES
from tests.support.emulators import Api

STEINFURT = "05566"
OFFICE = "ki-kreis-steinfurt"


def send(api: Api, method: str, path: str, body: Any = None, **headers: str) -> Any:
    raw = json.dumps(body).encode() if body is not None else b""
    if body is not None:
        headers["Content-Type"] = "application/json"
    return api.request(method, path, headers, raw)


@pytest.fixture
def admin(api: Api) -> dict[str, str]:
    token, _ = bootstrap.tokens().create("admin", "bounds")
    return {"Authorization": f"Bearer {token}", "If-Match": "*"}


def test_a_municipality_takes_offices_up_to_its_bound(api: Api, admin: dict[str, str]) -> None:
    path = f"/municipalities/{STEINFURT}/offices"
    for n in range(1, MAX_OFFICES):  # Kreis Steinfurt has one office already
        assert send(api, "POST", path, {"name": f"Amt {n}"}, **admin).status_code == 201
    refused = send(api, "POST", path, {"name": "Amt zu viel"}, **admin)
    assert refused.status_code == 422
    assert (
        json.loads(refused.body)["error"]["details"]["errors"][0]["message"]
        == f"at most {MAX_OFFICES} offices"
    )
    record = json.loads(
        send(api, "GET", f"/municipalities/{STEINFURT}", Authorization=admin["Authorization"]).body
    )
    assert len(record["offices"]) == MAX_OFFICES
    # What an editor reads, it can write back.
    assert send(api, "PUT", f"/municipalities/{STEINFURT}", record, **admin).status_code == 200


def test_an_office_takes_contacts_up_to_its_bound(
    api: Api, admin: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(editor, "MAX_CONTACTS_PER_OFFICE", 2)  # Hieronimus and one more
    path = f"/offices/{OFFICE}/contacts"
    person = {"given_name": "Erika", "family_name": "Mustermann"}
    assert send(api, "POST", path, person, **admin).status_code == 201
    refused = send(api, "POST", path, person, **admin)
    assert refused.status_code == 422
    assert json.loads(refused.body)["error"]["details"]["errors"][0]["message"] == "at most 2 contacts"
