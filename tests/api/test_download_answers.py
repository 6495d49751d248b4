"""Downloads: no card is a 404 (and no link to it), and a download name carries no bidi control."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from chalicelib.write.models import Municipality
from tests.support.emulators import Api
from tests.support.envelopes import error_of
from tests.support.synthetic import Synthetic

STEINFURT = "05566"
CORS_ORIGIN = "Access-Control-Allow-Origin"


MUENSTER = "05515"  # a participant without a published office: no card to give


@pytest.mark.parametrize(
    "path",
    [f"/municipalities/{MUENSTER}/vcard", "/vcards?q=zzzzzz", "/vcards?q=m%C3%BCnster&kind=kreisfreie+Stadt"],
)
@pytest.mark.parametrize("accept", ["text/vcard", "application/vcard+json"])
def test_a_download_without_cards_is_a_404_envelope(api: Api, path: str, accept: str) -> None:
    response = api.get(path, Accept=accept)
    assert response.status_code == 404
    assert error_of(response, 404)["code"] == "not_found"
    assert "Content-Disposition" not in response.headers
    assert response.headers[CORS_ORIGIN] == "*"


def test_the_json_links_no_download_without_cards(api: Api) -> None:
    detail = json.loads(api.get(f"/municipalities/{MUENSTER}").body)
    assert detail["offices"] == []
    assert "vcard" not in detail["links"]
    found = json.loads(api.get("/municipalities?q=m%C3%BCnster").body)["items"]
    assert "vcard" not in next(item for item in found if item["id"] == MUENSTER)["links"]
    steinfurt = json.loads(api.get(f"/municipalities/{STEINFURT}").body)
    assert steinfurt["links"]["vcard"] == f"/municipalities/{STEINFURT}/vcard"
    assert api.get(steinfurt["links"]["vcard"]).status_code == 200




def test_download_names_carry_no_bidi_controls(api: Api) -> None:
    synthetic = Synthetic(seed=77)
    record = synthetic.municipality(contacts=1)
    contact = record["offices"][0]["contacts"][0]
    contact.update(given_name="Anna")
    with pytest.raises(ValidationError):  # the write path refuses bidi controls now (issue 16 item 5) ...
        Municipality.model_validate({**record, "name": "Stadt \u202eKleve"})
    # ... and a name stored before that rule still reaches no download name
    valid = Municipality.model_validate(record)
    spoofed = valid.offices[0].contacts[0].model_copy(update={"family_name": "Rechnung\u202efdp.exe"})
    office = valid.offices[0].model_copy(update={"contacts": [spoofed]})
    api.writer.create(valid.model_copy(update={"offices": [office]}))
    response = api.get(f"/contacts/{contact['id']}/vcard")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert "%E2%80%AE" not in disposition
    assert disposition.endswith("filename*=UTF-8''Rechnungfdp.exe_Anna.vcf")
