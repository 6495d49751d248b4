"""Office and contact ids are unique across the whole directory, not only within a municipality."""

from __future__ import annotations

from typing import Any

from chalicelib.write.identity import DuplicateId, duplicate_entry_ids


def municipality(offices: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": "05999001", "name": "x", "offices": offices}


def office(office_id: str, *contact_ids: str) -> dict[str, Any]:
    return {
        "id": office_id,
        "name": "o",
        "contacts": [{"id": c, "given_name": "Secret"} for c in contact_ids],
    }


def test_a_contact_id_under_two_municipalities_is_named_by_both_places() -> None:
    documents = {
        "#/municipalities/0": municipality([office("o-kleve", "c-1", "c-shared")]),
        "#/municipalities/1": municipality([office("o-a"), office("o-bonn", "c-shared")]),
    }
    assert duplicate_entry_ids(documents) == [
        DuplicateId(
            "contact",
            ("#/municipalities/0/offices/0/contacts/1", "#/municipalities/1/offices/1/contacts/0"),
        )
    ]


def test_office_ids_are_checked_too_and_kinds_are_separate() -> None:
    documents = {
        "#/municipalities/0": municipality([office("same", "c-1")]),
        "stored 05314#": municipality([office("same", "same")]),  # a contact may share an office's id
    }
    assert duplicate_entry_ids(documents) == [
        DuplicateId("office", ("#/municipalities/0/offices/0", "stored 05314#/offices/0"))
    ]


def test_no_values_in_the_report() -> None:
    documents = {
        "#/municipalities/0": municipality([office("o-1", "c-secret-id")]),
        "#/municipalities/1": municipality([office("o-2", "c-secret-id")]),
    }
    (duplicate,) = duplicate_entry_ids(documents)
    assert "c-secret-id" not in repr(duplicate)
    assert "Secret" not in repr(duplicate)


def test_unique_ids_report_nothing_and_accept_models() -> None:
    from tests.support.synthetic import Synthetic

    synthetic = Synthetic(seed=5)
    models = [synthetic.model(), synthetic.model()]
    assert duplicate_entry_ids({f"#/municipalities/{n}": m for n, m in enumerate(models)}) == []
