"""Phone extensions are kept: E.164 plus RFC 3966's ';ext=', never dropped."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chalicelib.domain.views import phone_display
from chalicelib.write.models import Contact, Office


@pytest.mark.parametrize(
    "given",
    [
        "+49 2162 391234 ext. 89",
        "+49 2162 391234 x89",
        "02162 391234 ext. 89",
        "tel:+49-2162-391234;ext=89",
        "+492162391234;ext=89",
    ],
)
def test_an_extension_is_stored_with_the_number(given: str) -> None:
    contact = Contact(given_name="Anna", family_name="Beispiel", phone=given, fax=given)
    assert contact.phone == "+492162391234;ext=89"
    assert contact.fax == "+492162391234;ext=89"
    office = Office(id="office-x", name="Büro", phone=given)
    assert office.phone == "+492162391234;ext=89"


def test_a_number_without_extension_stays_plain_e164() -> None:
    assert Contact(given_name="A", family_name="B", phone="02162 391234").phone == "+492162391234"


def test_the_display_form_shows_the_extension() -> None:
    assert phone_display("+492162391234;ext=89") == "+49 2162 391234 ext. 89"
    assert phone_display("+492162391234") == "+49 2162 391234"


@pytest.mark.parametrize("marker", ["Durchwahl ", "Dw. ", "DW ", "extension "])
def test_a_german_extension_marker_is_read_as_one(marker: str) -> None:
    contact = Contact(given_name="A", family_name="B", phone=f"+49 2162 391234 {marker}89")
    assert contact.phone == "+492162391234;ext=89"


@pytest.mark.parametrize(
    "given",
    [
        "0251 / folgt",  # would be +4925136548: the letters as keypad digits
        "0800 FLOWERS",  # would be +498003569377
        "02551 692743 Zentrale",
        "02551 69274x",  # a marker without an extension
        "+49 2162 391234 Durchwahl",
        "+49 2162 39I234",  # a capital i for a one
        "+49 2162 391234 Apparat 89",  # not a marker: refused, never dropped
    ],
)
def test_letters_in_a_number_are_refused_not_dialled(given: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Contact(given_name="A", family_name="B", phone=given)
    (error,) = raised.value.errors()
    assert error["loc"] == ("phone",)
    assert "must not contain letters" in error["msg"]
    with pytest.raises(ValidationError):
        Office(id="office-x", name="Büro", fax=given)
