"""The dry run's diff: entries added, changed (field names only) or removed, in a stable order."""

from __future__ import annotations

import copy

from admin.formats import Change, diff
from tests.unit.admin.examples import kommune, kreis


def test_nothing_changed_is_no_change_nulls_empties_and_store_fields_aside() -> None:
    stored = kreis() | {"version": 7, "updated_at": "2026-11-25T10:00:00Z"}
    stored["participation"]["via"] = None
    stored["offices"][1]["contacts"] = []
    assert diff([stored, kommune()], [kommune(), kreis()]) == []


def test_added_changed_removed_by_entry_with_field_names() -> None:
    before = [kreis(), kommune()]
    after = [copy.deepcopy(before[0]), {"id": "05998", "participation": {"status": "reported"}}]
    municipality = after[0]
    municipality["participation"]["sources"].append("https://example.org/c")
    municipality["coordinates"]["lat"] = 50.9
    office = municipality["offices"][0]
    office["address"]["street"] = "Weißdornstraße 2"
    office["contacts"][0]["phone"] = "0221 5550999"
    office["contacts"][0]["topics"] = ["Arbeit"]
    del office["contacts"][1]
    office["contacts"].append({"id": "c-0003", "given_name": "Neu", "family_name": "Person"})
    office["contacts"].append({"given_name": "Ohne", "family_name": "Kennung"})
    municipality["offices"][1] = {"id": "amt-neu", "name": "Neues Amt"}

    changes = diff(before, after)
    assert changes == [
        Change("municipality", "added", "05998"),
        Change("municipality", "changed", "05999", fields=("coordinates.lat", "participation.sources")),
        Change("office", "added", "05999", "amt-neu"),
        Change("office", "removed", "05999", "amt-ohne-personen"),
        Change("office", "changed", "05999", "ki-uebungshausen", fields=("address.street",)),
        Change("contact", "changed", "05999", "ki-uebungshausen", "c-0001", ("phone", "topics")),
        Change("contact", "removed", "05999", "ki-uebungshausen", "c-0002"),
        Change("contact", "added", "05999", "ki-uebungshausen", "c-0003"),
        Change("contact", "added", "05999", "ki-uebungshausen", None),
        Change("municipality", "removed", "05999001"),
    ]
    text = "\n".join(str(c) for c in changes)
    assert "changed contact 05999/ki-uebungshausen/c-0001: phone, topics" in text
    assert "added contact 05999/ki-uebungshausen/(new contact)" in text
    for value in ("0221 5550999", "Weißdornstraße", "Neu", "50.9"):
        assert value not in text


def test_reordering_offices_and_contacts_is_reported() -> None:
    after = kreis()
    after["offices"].reverse()
    contacts = after["offices"][1]["contacts"]
    contacts.reverse()
    assert diff([kreis()], [after]) == [
        Change("municipality", "changed", "05999", fields=("offices.order",)),
        Change("office", "changed", "05999", "ki-uebungshausen", fields=("contacts.order",)),
    ]


def test_order_is_stable_whatever_the_file_order() -> None:
    stored = [kreis(), kommune()]
    incoming = [{"id": "05997", "participation": {"status": "reported"}}, *reversed(stored)]
    assert diff(stored, incoming) == diff(list(reversed(stored)), list(reversed(incoming)))
