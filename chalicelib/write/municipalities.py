"""What an editor may write into a municipality's own record.

Its content is completed and checked by the reference table (as the import's is), and its
participation is the initiative's to change (admins only, naming a Kreis of the directory).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.entries import Json
from ..domain.errors import Forbidden, InvalidRecord
from ..domain.principal import Principal
from .models import Municipality
from .reference import KREIS_KINDS, ReferenceEntry, with_reference_facts
from .validation import error_at, require_object, strip_read_only, validated


def municipality_content(municipality_id: str, body: Any, reference: dict[str, ReferenceEntry]) -> Json:
    """A municipality's record as an editor sends it, completed and checked by the reference table."""
    require_object(body)
    record = strip_read_only(body)
    if record.setdefault("id", municipality_id) != municipality_id:
        raise InvalidRecord(
            "the id in the body differs from the path", error_at("/id", "must equal the path's id")
        )
    try:
        record = with_reference_facts(record, reference)
    except InvalidRecord as error:
        # The importer names the field; an editor needs a pointer, like every other 422.
        field = str(error.details.get("field", "id"))
        problem = "contradicts the reference table" if "field" in error.details else "not an official key"
        raise InvalidRecord(error.message, {**error.details, **error_at(f"/{field}", problem)}) from None
    return validated(Municipality, record, exclude=frozenset({"version", "updated_at"}))


def check_participation(
    principal: Principal, doc: Json | None, content: Json, living: Callable[[str], Json | None]
) -> None:
    """Participation is the initiative's record of a municipality: admins change it, checked.

    A municipality's own token edits its website, offices and contacts; whether and since
    when it takes part, via which Kreis, and on which sources, is what the initiative's
    admins vouch for (and what the import writes): a municipality token sending a different
    participation is a 403, whatever it says. A changed ``participation.via`` must name a
    Kreis (or the StädteRegion) of the directory, as the import checks (``check_via``);
    the model has checked that the Kommune's key starts with it.
    """
    before = strip_read_only(doc).get("participation") if doc is not None else None
    after = content.get("participation")
    if after == before:
        return
    if not principal.is_admin:
        raise Forbidden(
            "participation is changed by the initiative's admins only",
            {"scope": principal.scope, "pointer": "/participation"},
        )
    via = (after or {}).get("via")
    if via is None or via == (before or {}).get("via"):
        return
    kreis = living(str(via))
    if kreis is None or kreis.get("kind") not in KREIS_KINDS:
        raise InvalidRecord(
            "participation.via names no Kreis of the directory",
            error_at("/participation/via", "names no Kreis of the directory"),
        )
