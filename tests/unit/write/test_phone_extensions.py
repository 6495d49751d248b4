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


def test_an_unreadable_extension_is_refused_not_dropped() -> None:
    with pytest.raises(ValidationError):
        Contact(given_name="A", family_name="B", phone="+49 2162 391234 Durchwahl 89")
