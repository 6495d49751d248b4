"""What reaches a card: the largest contact still gets a QR code, a phone extension reaches the
JSON, the vCard (as ical.js reads it) and the jCard."""

from __future__ import annotations

import json

from chalicelib.write.models import Municipality
from tests.support.emulators import Api
from tests.support.icaljs import read_with_icaljs
from tests.support.synthetic import Synthetic
from tests.support.vcard_reading import unfold
from tests.support.worst_case import worst_case_record


def test_the_largest_contact_gets_a_qr_code_not_a_422(api: Api) -> None:
    api.writer.create(Municipality.model_validate(worst_case_record()))
    response = api.get("/contacts/c-worst/qr.svg")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml"
    assert b'fill="#fff"' in response.body




def test_a_phone_extension_reaches_json_vcard_and_jcard(api: Api) -> None:
    synthetic = Synthetic(seed=14)
    record = synthetic.municipality(contacts=1)
    contact = record["offices"][0]["contacts"][0]
    contact["phone"] = "+49 2162 391234 ext. 89"
    api.writer.create(Municipality.model_validate(record))
    shown = json.loads(api.get(f"/contacts/{contact['id']}").body)
    assert shown["phone"] == "+492162391234;ext=89"
    assert shown["phone_display"] == "+49 2162 391234 ext. 89"
    text = api.get(f"/contacts/{contact['id']}/vcard").body.decode()
    assert "TEL;TYPE=WORK,VOICE:+49 2162 391234 ext. 89" in unfold(text).split("\r\n")
    (read,) = read_with_icaljs(text)
    assert "+49 2162 391234 ext. 89" in [p.value for p in read if p.name == "tel"]
    jcard = json.loads(api.get(f"/contacts/{contact['id']}/vcard", Accept="application/vcard+json").body)
    assert ["tel", {"type": ["work", "voice"]}, "uri", "tel:+49-2162-391234;ext=89"] in jcard[1]
