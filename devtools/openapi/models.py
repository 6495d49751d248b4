"""What the API answers, as pydantic models: the schemas of the OpenAPI document's responses.

The read path builds its JSON by hand (chalicelib/domain/views.py, routes/) and never
imports these: they exist to *describe* it, and tests/api/test_openapi_responses.py
holds them to it by validating real responses against the generated document. Every
model forbids extra fields, so a field added to a view without its schema here fails.

The editable representations (what a token holder reads and a write answers) extend
the write models of chalicelib/write/models.py: they are what was validated on the
way in, plus the bookkeeping the write path adds.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from chalicelib.domain.vocabulary import ENTITY_ID_PATTERN, MUNICIPALITY_ID_PATTERN
from chalicelib.write import models as write
from chalicelib.write.models import MunicipalityKind, Regierungsbezirk


class View(BaseModel):
    model_config = ConfigDict(extra="forbid")


Path = Annotated[str, Field(description="A path under the public base URL (GK_PUBLIC_BASE_URL).")]
OptionalPath = Annotated[str | None, Field(description="A path under the public base URL, or null.")]
Revision = Annotated[int, Field(ge=0, description="A revision of the whole directory: it only grows.")]
EntityId = Annotated[str, Field(pattern=ENTITY_ID_PATTERN)]
MunicipalityId = Annotated[str, Field(pattern=MUNICIPALITY_ID_PATTERN)]
E164 = Annotated[str | None, Field(pattern=r"^\+[1-9]\d{1,14}$", description="E.164, for tel: links")]
Display = Annotated[str | None, Field(description="The number as people write it (international format)")]
Cursor = Annotated[str | None, Field(description="Opaque; pass it back as ?cursor= for the next page")]


# -- links --------------------------------------------------------------------------


class MunicipalityLinks(View):
    self: Path
    peers: Path
    vcard: Path | None = Field(
        default=None, description="Present only when the municipality has a card to download"
    )


class OfficeLinks(View):
    self: Path
    vcard: Path
    municipality: Path


class ContactLinks(View):
    self: Path
    vcard: Path
    qr: Path
    office: Path
    municipality: Path


class PageLinks(View):
    self: Path
    next: OptionalPath


class SelfLink(View):
    self: Path


# -- the public views -----------------------------------------------------------------


class ContactView(View):
    """A public contact person (only contacts marked public are ever served)."""

    id: EntityId
    title: str | None
    given_name: str
    family_name: str
    name: str = Field(description="Title, given and family name, as one line")
    function: str | None
    phone: E164
    phone_display: Display
    fax: E164
    fax_display: Display
    email: str | None
    languages: list[str] = Field(description="BCP 47 tags")
    topics: list[str]
    links: ContactLinks


class OfficeView(View):
    """An office of a municipality, with its public contacts."""

    id: EntityId
    name: str
    role: str | None
    address: write.Address | None
    phone: E164
    phone_display: Display
    fax: E164
    fax_display: Display
    email: str | None
    website: str | None
    contacts: list[ContactView]
    links: OfficeLinks


class MunicipalityRef(View):
    id: MunicipalityId
    name: str
    links: MunicipalityLinks


class OfficeRef(View):
    id: EntityId
    name: str


class ParticipationSummary(View):
    status: Literal["confirmed", "reported"] | None
    since: str | None


class MunicipalitySummary(View):
    """A municipality as lists show it: who, where, and whom to call."""

    id: MunicipalityId
    name: str
    kind: MunicipalityKind
    regierungsbezirk: Regierungsbezirk
    seat: str
    coordinates: write.Coordinates
    participation: ParticipationSummary
    confirmed_at: AwareDatetime | None = Field(
        description="When its office last confirmed the entry (\"Alles korrekt\") or changed it; "
        "null if not since import"
    )
    offices: list[OfficeView]
    links: MunicipalityLinks


class MunicipalityDetail(View):
    """GET /municipalities/{id}: the summary's fields plus the full record."""

    id: MunicipalityId
    name: str
    kind: MunicipalityKind
    regierungsbezirk: Regierungsbezirk
    seat: str
    coordinates: write.Coordinates
    participation: write.Participation
    confirmed_at: AwareDatetime | None = Field(
        description="When its office last confirmed the entry (\"Alles korrekt\") or changed it; "
        "null if not since import"
    )
    offices: list[OfficeView]
    links: MunicipalityLinks
    population: write.Population | None
    website: str | None
    updated_at: AwareDatetime | None
    revision: Revision | None = Field(description="The revision of its last change; null while pending")
    version: int = Field(ge=0, description="The stored item's version")


class OfficeDetail(OfficeView):
    """GET /offices/{id}: the office and the municipality it belongs to."""

    municipality: MunicipalityRef


class ContactDetail(ContactView):
    """GET /contacts/{id}: the person, their office and municipality."""

    office: OfficeRef
    municipality: MunicipalityRef


class SearchHit(MunicipalitySummary):
    distance_km: float | None = Field(
        default=None, ge=0, description="Present when the search gave `near`: the distance from that point"
    )


class SearchPage(View):
    """GET /municipalities: one page of a search."""

    items: list[SearchHit]
    total: int = Field(ge=0, description="Matches of the whole search, on all pages")
    limit: int = Field(ge=1, le=100)
    next_cursor: Cursor
    links: PageLinks


class Peer(MunicipalitySummary):
    distance_km: float = Field(ge=0)
    same_regierungsbezirk: bool


class Peers(View):
    """GET /municipalities/{id}/peers: the nearest other municipalities."""

    municipality: MunicipalityRef
    items: list[Peer]
    links: SelfLink


class Change(View):
    revision: Revision
    kind: Literal["municipality", "office", "contact"]
    id: str
    municipality: MunicipalityId
    operation: Literal["created", "updated", "deleted"]
    at: AwareDatetime | None
    deleted: Literal[True] | None = Field(default=None, description="Present (true) on deletions only")


class ChangesPage(View):
    """GET /changes: what changed after a revision, oldest first."""

    items: list[Change]
    since: Revision
    revision: Revision = Field(description="The feed is complete up to here: ask with since=<this> next time")
    next_cursor: Cursor
    links: PageLinks


class IndexLinks(View):
    municipalities: str
    municipality: str
    peers: str
    office: str
    contact: str
    health: str
    vcards: str
    contact_vcard: str
    contact_qr: str
    office_vcard: str
    municipality_vcard: str
    widget: str
    demo: str
    openapi: str


class Filters(View):
    kind: list[MunicipalityKind]
    regierungsbezirk: list[Regierungsbezirk]
    topic: list[str]
    language: list[str]


class Index(View):
    """GET /: what the service is, its link templates and the values of its filters."""

    service: Literal["gk-directory"]
    description: str
    revision: Revision
    municipalities: int = Field(ge=0)
    links: IndexLinks = Field(description="URI templates: fill {id}")
    filters: Filters


class Health(View):
    status: Literal["ok", "stale"] = Field(
        description="stale: DynamoDB is out of reach, the last snapshot serves"
    )
    revision: Revision
    snapshot_age_seconds: float = Field(ge=0)
    municipalities: int = Field(ge=0)


class Session(View):
    """GET /edit/session: whom the request's token belongs to."""

    label: str
    scope: str = Field(description="admin, or municipality:<AGS>")
    municipality: MunicipalityId | None = Field(description="The municipality a municipality token covers")


Missing = Literal["office", "public contact", "address", "phone", "e-mail", "confirmation", "live token"]


class ReportRow(View):
    """One municipality in the admins' report: counts and times, never a contact's details."""

    id: MunicipalityId
    name: str
    kind: str
    via: MunicipalityId | None = Field(description="The Kreis whose office serves it (it needs none)")
    offices: int = Field(ge=0)
    public_contacts: int = Field(ge=0)
    other_contacts: int = Field(ge=0, description="Contacts not shown publicly")
    offices_with_address: int = Field(ge=0)
    offices_with_phone: int = Field(ge=0)
    offices_with_email: int = Field(ge=0)
    last_change: AwareDatetime | None
    last_change_by: str | None = Field(description="The label of the token that made it")
    confirmed_at: AwareDatetime | None
    confirmed_by: str | None
    token_live: bool = Field(description="A municipality token for it is live")
    token_expires: AwareDatetime | None = Field(description="When its live token expires (null: none, never)")
    token_last_used: AwareDatetime | None
    missing: list[Missing]


class Report(View):
    """GET /edit/report (admin tokens): every municipality, what needs attention first."""

    municipalities: list[ReportRow]


# -- errors ---------------------------------------------------------------------------


class FieldError(View):
    pointer: str = Field(description="RFC 6901 JSON pointer into the request body")
    message: str
    type: str


class Error(View):
    code: str = Field(description="Stable, machine-readable")
    message: str = Field(description="For people; may change")
    details: dict[str, Any] = Field(description="Depends on the code; see the response's description")


class ErrorEnvelope(View):
    """Every error, from the API and from the gateway in front of it."""

    error: Error


# -- what editors read and writes answer ----------------------------------------------


class Bookkeeping(BaseModel):
    updated_at: AwareDatetime | None = None
    updated_by: str | None = Field(default=None, description="The label of the token that wrote it")
    revision: Revision | None = Field(default=None, description="null while the write's stamp is pending")
    created_revision: Revision | None = None
    etag: str = Field(description="The entry's ETag: send it in If-Match to change the entry")


class DisplayNumbers(BaseModel):
    """Read-only display forms stored with the numbers; ignored when sent back in a write."""

    phone_display: Display = None
    fax_display: Display = None


class EditableContact(write.Contact, Bookkeeping, DisplayNumbers):
    """A contact as a token holder reads it: every stored field, non-public contacts too."""


class EditableOffice(write.Office, Bookkeeping, DisplayNumbers):
    contacts: list[EditableContact] = Field(default_factory=list)  # type: ignore[assignment]


class EditableMunicipality(write.Municipality, Bookkeeping):
    offices: list[EditableOffice] = Field(default_factory=list)  # type: ignore[assignment]
    updated_at: AwareDatetime | None = None  # type: ignore[assignment]
    confirmed_at: AwareDatetime | None = Field(default=None, description="Its last confirmation or change")
    confirmed_by: str | None = Field(default=None, description="The label of the token that confirmed it")


class PreconditionDetails(View):
    etag: str | None = Field(default=None, description="The entry's ETag now")
    current: dict[str, Any] | None = Field(default=None, description="The entry as it is now (editable)")


RESPONSE_MODELS: tuple[type[BaseModel], ...] = (
    Index,
    Health,
    Session,
    Report,
    SearchPage,
    MunicipalityDetail,
    Peers,
    OfficeDetail,
    ContactDetail,
    ChangesPage,
    EditableMunicipality,
    EditableOffice,
    EditableContact,
    ErrorEnvelope,
    FieldError,
    PreconditionDetails,
)
