"""Request bodies: JSON only, bounded in size and in depth, refused in the envelope's terms."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidRequest
from chalicelib.web.request_json import MAX_DEPTH, json_body

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000, 30_000])
def test_a_body_nested_too_deeply_is_a_400_not_a_recursion_error(depth: int) -> None:
    # A body of 5000 nested arrays made json.loads raise RecursionError: a 500 outside the envelope.
    with pytest.raises(InvalidRequest) as refused:
        json_body(JSON, "[" * depth + "]" * depth)
    assert refused.value.details == {"reason": "too_deeply_nested", "limit": MAX_DEPTH}


def test_objects_count_as_levels_too() -> None:
    deep = '{"a": ' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)
    with pytest.raises(InvalidRequest):
        json_body(JSON, deep)


def test_entries_nest_well_within_the_bound() -> None:
    entry = {"offices": [{"contacts": [{"languages": ["de"]}]}], "participation": {"milestones": [{}]}}
    assert json_body(JSON, str(entry).replace("'", '"')) == entry
    nested = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert json_body(JSON, nested) is not None


@pytest.mark.parametrize("raw", ["null", "1", '"x"', "[]"])
def test_any_json_document_parses(raw: str) -> None:
    json_body(JSON, raw)  # whether it is an entry is the editor's question (422)
