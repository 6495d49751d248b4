"""Write-side models: everything that enters the directory is validated here.

Reads never import this module. Stored documents were validated when they were
written, so the read path parses them with plain ``json`` and keeps pydantic,
phonenumbers and email-validator out of the cold start of the JSON routes.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime
from typing import Annotated, Literal

import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    StringConstraints,
    field_validator,
    model_validator,
)

from ..domain.vocabulary import ENTITY_ID_PATTERN, MUNICIPALITY_ID_PATTERN
from .characters import mailto_safe, phone_without_letters, visible

# Spelled out because a type needs literals; tests check they equal domain.vocabulary's.
MunicipalityKind = Literal["kreisfreie Stadt", "Kreis", "StädteRegion", "kreisangehörige Stadt", "Gemeinde"]
Regierungsbezirk = Literal["Arnsberg", "Detmold", "Düsseldorf", "Köln", "Münster"]


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _single_line(value: str) -> str:
    # A name with a line break or a control character renders wrongly everywhere
    # (widget, vCard, logs) and is never what an editor meant.
    if _CONTROL.search(value):
        raise ValueError("must be one line without control characters")
    return visible(value)


def _plain_text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL_BUT_NEWLINE.search(value):
        raise ValueError("must not contain control characters")
    return visible(value)


# Every text field is bounded: a widget renders these, a vCard carries them, and an
# unbounded field is an invitation to fill DynamoDB's 400 KB item limit.
_LINE = AfterValidator(_single_line)
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), _LINE]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), _LINE]
Topic = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), _LINE]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), AfterValidator(_plain_text)
]

MunicipalityId = Annotated[str, StringConstraints(pattern=MUNICIPALITY_ID_PATTERN)]
EntityId = Annotated[str, StringConstraints(pattern=ENTITY_ID_PATTERN)]
# A Kreis (or StädteRegion): the five-digit key a kreisangehörige Kommune's key starts with.
KreisId = Annotated[str, StringConstraints(pattern=r"^05\d{3}$")]
# ISO 8601 with reduced precision: sources often give only a year or a month.
PartialDate = Annotated[
    str, StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
]


def _e164(value: str) -> str:
    """Parse a German or international number; store it in E.164.

    E.164 has no extension, so an extension ("ext. 89", "x89", ";ext=89") is kept the
    way RFC 3966 writes it: "+492162391234;ext=89" — a tel: URI as it stands, and
    parsed back by phonenumbers for the display form. A number is never shortened.
    """
    value = phone_without_letters(value)
    try:
        number = phonenumbers.parse(value, "DE")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {exc.args[0] if exc.args else 'unparseable'}") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164};ext={number.extension}" if number.extension else e164


PhoneNumber = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), AfterValidator(_e164)]

_BCP47 = re.compile(r"^([a-z]{2,3})(-[a-z]{4})?(-([a-z]{2}|\d{3}))?(-([a-z0-9]{5,8}|\d[a-z0-9]{3}))*$")


def _language_tag(value: str) -> str:
    """Validate a BCP 47 tag (the common language-script-region-variant subset) and case it canonically."""
    tag = value.strip().replace("_", "-").lower()
    if len(tag) > 35 or not _BCP47.match(tag):
        raise ValueError("not a BCP 47 language tag (e.g. 'de', 'ar', 'fa-AF', 'sr-Latn')")
    parts = tag.split("-")
    out = [parts[0]]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part)
    return "-".join(out)


LanguageTag = Annotated[str, AfterValidator(_language_tag)]

MAX_URL_LENGTH = 2083  # HttpUrl's bound on what is sent


def _bounded_url(url: HttpUrl) -> HttpUrl:
    # Normalising can lengthen a URL (a host alone gains "/"): bound what is stored and
    # served too, not only what was sent.
    if len(str(url)) > MAX_URL_LENGTH:
        raise ValueError(f"URL should have at most {MAX_URL_LENGTH} characters")
    if url.username is not None or url.password is not None:
        # "https://user:pw@host/" shows a login to every reader and lets a link pose
        # as another host ("https://www.kreis-kleve.de@evil.example/").
        raise ValueError("URL must not contain a user name or password ('user:pw@')")
    return url


Url = Annotated[HttpUrl, AfterValidator(_bounded_url)]
EmailAddress = Annotated[EmailStr, StringConstraints(max_length=254), AfterValidator(mailto_safe)]


# A municipality's item holds all of it, and DynamoDB items hold 400 KB at most.
MAX_OFFICES = 20
MAX_CONTACTS_PER_OFFICE = 200


def new_contact_id() -> str:
    """A fresh contact id: 128 random bits, so an id is never handed out twice."""
    return "c-" + secrets.token_hex(16)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Coordinates(Model):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Population(Model):
    count: int = Field(ge=0, le=20_000_000)
    as_of: date


class Address(Model):
    street: ShortText | None = None
    postal_code: Annotated[str, StringConstraints(pattern=r"^\d{5}$")] | None = None
    locality: ShortText
    region: ShortText = "Nordrhein-Westfalen"
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = "DE"
    note: LongText | None = None


class Milestone(Model):
    kind: Literal[
        "expression_of_interest", "starter_workshop", "alliance_founded", "joined", "funding", "other"
    ]
    date: PartialDate | None = None
    label: ShortText
    source: Url | None = None


class Participation(Model):
    # "confirmed": a public source names the municipality as a participant.
    # "reported": the initiative's operators reported it (full list import).
    status: Literal["confirmed", "reported"]
    since: PartialDate | None = None
    # A kreisangehörige Kommune that takes part through its Kreis: the Kreis's key. Its
    # coordinating office is the Kreis's, so the Kommune lists none of its own. The import
    # checks that the Kreis is in the directory (loader.check_via).
    via: KreisId | None = None
    milestones: list[Milestone] = Field(default_factory=list, max_length=30)
    sources: list[Url] = Field(default_factory=list, max_length=20)


def _unique_folded(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


class Contact(Model):
    id: EntityId = Field(default_factory=new_contact_id)
    title: ShortText | None = None
    given_name: Name
    family_name: Name
    function: Name | None = None
    phone: PhoneNumber | None = None
    fax: PhoneNumber | None = None
    email: EmailAddress | None = None
    languages: list[LanguageTag] = Field(default_factory=list, max_length=30)
    topics: list[Topic] = Field(default_factory=list, max_length=30)
    public: bool = False

    @field_validator("languages", "topics")
    @classmethod
    def _dedupe(cls, values: list[str]) -> list[str]:
        return _unique_folded(values)


class Office(Model):
    id: EntityId
    name: Name
    role: ShortText | None = None
    address: Address | None = None
    phone: PhoneNumber | None = None
    fax: PhoneNumber | None = None
    email: EmailAddress | None = None
    website: Url | None = None
    contacts: list[Contact] = Field(default_factory=list, max_length=MAX_CONTACTS_PER_OFFICE)

    @field_validator("contacts")
    @classmethod
    def _unique_contact_ids(cls, contacts: list[Contact]) -> list[Contact]:
        ids = [c.id for c in contacts]
        if len(ids) != len(set(ids)):
            raise ValueError("contact ids must be unique")
        return contacts


class Municipality(Model):
    id: MunicipalityId
    name: Name
    kind: MunicipalityKind
    regierungsbezirk: Regierungsbezirk
    seat: ShortText
    coordinates: Coordinates
    population: Population | None = None
    website: Url | None = None
    participation: Participation
    offices: list[Office] = Field(default_factory=list, max_length=MAX_OFFICES)
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    version: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _via_is_own_kreis(self) -> Municipality:
        via = self.participation.via
        if via is not None and not (len(self.id) == 8 and self.id.startswith(via)):
            raise ValueError(
                "participation.via must be the own Kreis of this kreisangehörige Kommune "
                "(the first 5 digits of its key)"
            )
        return self

    @field_validator("offices")
    @classmethod
    def _unique_office_ids(cls, offices: list[Office]) -> list[Office]:
        office_ids = [o.id for o in offices]
        contact_ids = [c.id for o in offices for c in o.contacts]
        if len(office_ids) != len(set(office_ids)):
            raise ValueError("office ids must be unique")
        if len(contact_ids) != len(set(contact_ids)):
            raise ValueError("contact ids must be unique")
        return offices
