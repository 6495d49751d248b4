"""Content negotiation for cards: vCard by default, jCard on request, 406 for neither."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import NotAcceptable
from chalicelib.web import negotiation


@pytest.mark.parametrize(
    ("accept", "jcard"),
    [
        (None, False),
        ("", False),
        ("*/*", False),
        ("text/vcard", False),
        ("text/*", False),
        ("application/vcard+json", True),
        ("application/*", True),
        ("text/vcard;q=0, application/vcard+json;q=0.1", True),
        ("application/vcard+json;q=0.5, text/vcard;q=0.5", False),  # a tie goes to the vCard
        ("application/vcard+json;q=0.9, */*;q=1", False),
        ("application/vcard+json, text/vcard;q=oops", True),
    ],
)
def test_accept_chooses_the_representation(accept: str | None, jcard: bool) -> None:
    assert negotiation.wants_jcard(accept) is jcard


@pytest.mark.parametrize(
    "accept", ["image/png", "application/json", "application/vcard+json;q=0", "text/vcard;q=0"]
)
def test_accept_without_a_card_type_is_not_acceptable(accept: str) -> None:
    with pytest.raises(NotAcceptable):
        negotiation.wants_jcard(accept)
