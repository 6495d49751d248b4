"""Write-side validation: phones to E.164, e-mails, language tags, bounds, unknown fields."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from chalicelib.domain.vocabulary import KINDS, REGIERUNGSBEZIRKE
from chalicelib.write.models import (
    Address,
    Contact,
    Municipality,
    MunicipalityKind,
    Regierungsbezirk,
    new_contact_id,
)
from tests.support.strategies import (
    LONG_TEXT,
    NAME,
    multi_line,
    newline_spellings,
    padding,
    respell_newlines,
    single_line,
)
from tests.support.synthetic import Synthetic


def contact(**overrides: Any) -> Contact:
    return Contact.model_validate({"given_name": "Erika", "family_name": "Beispiel", **overrides})


def refused(error: pytest.ExceptionInfo[ValidationError]) -> list[tuple[int | str, ...]]:
    """Where the model found fault: one location per error."""
    return [tuple(e["loc"]) for e in error.value.errors()]


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("02551 69-2743", "+492551692743"),
        ("+49 (0)2551 69-92743", "+4925516992743"),
        ("0049 221 1234567", "+492211234567"),
        ("+31 20 123 4567", "+31201234567"),
    ],
)
def test_phone_numbers_are_stored_in_e164(raw: str, e164: str) -> None:
    assert contact(phone=raw).phone == e164
    assert contact(fax=raw).fax == e164


@pytest.mark.parametrize("raw", ["12", "call me", "02551 69-2743-99999999999", "+49 0000"])
def test_invalid_phone_numbers_are_rejected(raw: str) -> None:
    with pytest.raises(ValidationError, match="phone"):
        contact(phone=raw)


def test_email_is_validated() -> None:
    assert contact(email="ki@kreis-steinfurt.de").email == "ki@kreis-steinfurt.de"
    with pytest.raises(ValidationError):
        contact(email="not-an-address")


@pytest.mark.parametrize(
    ("raw", "tag"), [("DE", "de"), ("fa_af", "fa-AF"), ("sr-latn", "sr-Latn"), ("ar-SY", "ar-SY")]
)
def test_language_tags_are_canonical(raw: str, tag: str) -> None:
    assert contact(languages=[raw]).languages == [tag]


def test_languages_and_topics_are_deduplicated_case_insensitively() -> None:
    c = contact(languages=["de", "DE"], topics=["Arbeit", "arbeit", "Sprache"])
    assert c.languages == ["de"]
    assert c.topics == ["Arbeit", "Sprache"]


@pytest.mark.parametrize("tag", ["german", "d", "de--x", "12"])
def test_bad_language_tags_are_rejected(tag: str) -> None:
    with pytest.raises(ValidationError):
        contact(languages=[tag])


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError, match="extra"):
        contact(nickname="Eri")


def test_text_fields_are_bounded() -> None:
    assert contact(given_name="x" * 200).given_name == "x" * 200
    with pytest.raises(ValidationError) as raised:
        contact(given_name="x" * 201)
    assert refused(raised) == [("given_name",)]
    with pytest.raises(ValidationError) as raised:
        contact(family_name="   ")
    assert refused(raised) == [("family_name",)]


def test_contacts_are_private_unless_flagged_public() -> None:
    assert contact().public is False


def test_new_contact_ids_are_unique_and_opaque() -> None:
    ids = {new_contact_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(i.startswith("c-") and len(i) == 34 for i in ids)


def test_municipality_id_is_an_nrw_key() -> None:
    record = Synthetic(seed=2).municipality()
    for bad in ("5566", "06566", "0556612", "05566abc"):
        with pytest.raises(ValidationError) as raised:
            Municipality.model_validate({**record, "id": bad})
        assert refused(raised) == [("id",)]


def test_duplicate_contact_ids_in_one_municipality_are_rejected() -> None:
    synthetic = Synthetic(seed=4)
    record = synthetic.municipality(contacts=1)
    record["offices"].append({**record["offices"][0], "id": "second-office"})
    with pytest.raises(ValidationError, match="contact ids must be unique"):
        Municipality.model_validate(record)


def test_unknown_kind_and_regierungsbezirk_are_rejected() -> None:
    record = Synthetic(seed=5).municipality()
    with pytest.raises(ValidationError) as raised:
        Municipality.model_validate({**record, "kind": "Bundesland"})
    assert refused(raised) == [("kind",)]
    with pytest.raises(ValidationError) as raised:
        Municipality.model_validate({**record, "regierungsbezirk": "Hamburg"})
    assert refused(raised) == [("regierungsbezirk",)]


@pytest.mark.parametrize("name", ["Erika\nBeispiel", "Erika\rB", "Eri\x00ka", "Erika\u2028B", "E\x85rika"])
def test_single_line_fields_reject_line_breaks_and_control_characters(name: str) -> None:
    with pytest.raises(ValidationError, match="one line"):
        contact(given_name=name)


def test_notes_keep_line_breaks_normalised() -> None:
    address = Address.model_validate({"locality": "Steinfurt", "note": "Eingang B\r\n2. Etage"})
    assert address.note == "Eingang B\n2. Etage"
    with pytest.raises(ValidationError):
        Address.model_validate({"locality": "Steinfurt", "note": "bell\x07"})


def test_participation_via_names_the_kommunes_own_kreis() -> None:
    record = Synthetic(seed=5).municipality(id="05999001", contacts=0)
    via = {**record["participation"], "via": "05999"}
    assert Municipality.model_validate({**record, "participation": via}).participation.via == "05999"
    assert Municipality.model_validate(record).participation.via is None


@pytest.mark.parametrize(
    ("municipality_id", "via", "problem"),
    [
        ("05999001", "5999", "via"),  # not a five-digit key
        ("05999001", "05999001", "via"),  # a Kommune is not a Kreis
        ("05999001", "05998", "own Kreis"),  # another Kreis's Kommune
        ("05999", "05999", "own Kreis"),  # a Kreis takes part itself
    ],
)
def test_participation_via_must_be_a_kreis_key_the_id_starts_with(
    municipality_id: str, via: str, problem: str
) -> None:
    record = Synthetic(seed=6).municipality(id=municipality_id, contacts=0)
    with pytest.raises(ValidationError, match=problem):
        Municipality.model_validate({**record, "participation": {**record["participation"], "via": via}})


def test_kinds_and_regierungsbezirke_are_the_domain_vocabulary() -> None:
    # The model spells them out as Literal types; they must not drift from domain.vocabulary.
    assert get_args(MunicipalityKind) == KINDS
    assert get_args(Regierungsbezirk) == REGIERUNGSBEZIRKE


@given(single_line(NAME), padding(), padding())
def test_admitted_text_is_stored_as_sent_less_surrounding_whitespace(
    name: str, before: str, after: str
) -> None:
    assert contact(given_name=before + name + after).given_name == name


_CONTROLS = st.characters(categories=["Cc"]) | st.sampled_from(["\u2028", "\u2029"])


@given(single_line(NAME // 2 - 1), _CONTROLS, single_line(NAME // 2 - 1))
def test_a_control_character_inside_a_name_is_refused(head: str, control: str, tail: str) -> None:
    with pytest.raises(ValidationError, match="one line"):
        contact(given_name=head + control + tail)


@given(multi_line(LONG_TEXT // 2, min_pieces=6), newline_spellings())
def test_notes_are_stored_with_lf_however_their_lines_were_broken(note: str, spellings: list[str]) -> None:
    sent = respell_newlines(note, spellings)
    assert Address.model_validate({"locality": "Steinfurt", "note": sent}).note == note


def test_urls_stay_within_their_bound_after_normalising() -> None:
    # A host-only URL of 2083 characters is valid as sent but stored with a trailing "/":
    # schemathesis found the served record then broke the documented maxLength.
    record = Synthetic(seed=3).municipality(contacts=0)
    host_only = "https://" + ".".join(["a" * 63] * 40)
    sent = host_only[:2083].rstrip(".")
    with pytest.raises(ValidationError, match="at most 2083 characters"):
        Municipality.model_validate({**record, "website": sent})
    short = host_only[:80].rstrip(".")
    assert str(Municipality.model_validate({**record, "website": short}).website) == short + "/"
