"""Numbers are stored in display form at write time, and ETags do not depend on it."""

from __future__ import annotations

import copy

from chalicelib.domain import entries
from chalicelib.domain.links import Links
from chalicelib.domain.views import office_view
from chalicelib.write.document_edits import display_numbers


def _doc() -> entries.Json:
    return {
        "id": "05566",
        "offices": [
            {
                "id": "ki-kreis-steinfurt",
                "name": "KI",
                "phone": "+4925516920",
                "contacts": [{"id": "c-1", "given_name": "A", "family_name": "B", "fax": "+4925516921"}],
            }
        ],
    }


def test_display_forms_are_international_and_follow_the_numbers() -> None:
    doc = display_numbers(_doc())
    office = doc["offices"][0]
    assert office["phone_display"] == "+49 2551 6920"
    assert office["contacts"][0]["fax_display"] == "+49 2551 6921"
    assert "fax_display" not in office and "phone_display" not in office["contacts"][0]
    del office["phone"]
    display_numbers(doc)
    assert "phone_display" not in office  # a number removed takes its display form with it


def test_entry_etags_ignore_display_forms() -> None:
    plain = _doc()
    shown = display_numbers(copy.deepcopy(plain))
    office, shown_office = plain["offices"][0], shown["offices"][0]
    assert entries.entry_etag("office", office) == entries.entry_etag("office", shown_office)
    contact, shown_contact = plain["offices"][0]["contacts"][0], shown["offices"][0]["contacts"][0]
    assert entries.entry_etag("contact", contact) == entries.entry_etag("contact", shown_contact)
    assert entries.entry_etag("municipality", plain) == entries.entry_etag("municipality", shown)


def test_views_use_the_stored_form_and_format_old_documents_themselves() -> None:
    old = _doc()["offices"][0]
    new = display_numbers(_doc())["offices"][0]
    assert office_view(old, "05566", Links(""))["phone_display"] == "+49 2551 6920"
    new["phone_display"] = "+49 (0) 2551 6920 as stored"
    assert office_view(new, "05566", Links(""))["phone_display"] == "+49 (0) 2551 6920 as stored"
