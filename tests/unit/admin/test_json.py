"""JSON: the directory file's own shape, stable bytes, errors with pointers."""

from __future__ import annotations

import json

from admin.formats import read_json, write_json
from tests.unit.admin.examples import kommune, kreis


def test_sorted_by_id_utf8_two_spaces_model_key_order() -> None:
    data = write_json([kreis(), kommune(), {"participation": {"status": "reported"}, "id": "05998"}])
    text = data.decode("utf-8")
    assert [m["id"] for m in json.loads(text)["municipalities"]] == ["05998", "05999", "05999001"]
    assert "Übungshausen" in text and "\\u" not in text
    assert '\n    {\n      "id": "05998",\n      "participation": {' in text
    assert text.endswith("}\n")
    first = json.loads(text)["municipalities"][1]
    assert list(first) == ["id", "name", "kind", "regierungsbezirk", "seat", "coordinates", "population",
                           "website", "participation", "offices"]
    assert list(first["participation"]) == ["status", "since", "milestones", "sources"]


def test_errors_carry_a_pointer_and_no_value() -> None:
    broken = read_json(b'{"municipalities": [{"id": "05999", "phone": 0221}]}')
    assert broken.errors[0].pointer == "" and "line 1" in broken.errors[0].message
    assert "0221" not in str(broken.errors[0])
    shape = read_json(b'{"municipalities": [{"id": "05999"}, "05998", 7]}')
    assert [e.pointer for e in shape.errors] == ["/municipalities/1", "/municipalities/2"]
    assert shape.records == [{"id": "05999"}]
    assert read_json(b"[]").errors[0].column == "municipalities"
    assert read_json("\ufeff".encode() + b'{"municipalities": []}').errors == []
