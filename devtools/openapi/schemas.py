"""components/schemas: the response models' JSON Schemas, and request bodies from the write models."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.write import models as write

from . import models

Json = dict[str, Any]

SCHEMAS = "#/components/schemas/"

# Synthetic examples (example.org, a placeholder name): what a client may send as it is.
BODY_EXAMPLES: Json = {
    "MunicipalityRecord": {"participation": {"status": "reported", "since": "2019"}},
    "MunicipalityPatch": {"website": "https://www.example.org/"},
    "NewOffice": {"name": "Ausländerbehörde", "email": "auslaenderbehoerde@example.org"},
    "OfficePatch": {"role": "geschäftsführende Stelle"},
    "NewContact": {
        "given_name": "Erika",
        "family_name": "Mustermann",
        "email": "erika.mustermann@example.org",
        "languages": ["de", "ar"],
        "topics": ["Ausbildung"],
        "public": True,
    },
    "ContactPatch": {"function": "Koordination", "topics": ["Integration", "Arbeit"]},
}


def ref(name: str) -> Json:
    return {"$ref": SCHEMAS + name}


def component_schemas() -> Json:
    """Every model's JSON Schema (2020-12, as OpenAPI 3.1 uses), then the request bodies."""
    pairs: list[tuple[type[BaseModel], Any]] = [(m, "serialization") for m in models.RESPONSE_MODELS]
    pairs += [(m, "validation") for m in (write.Municipality, write.Office, write.Contact)]
    keys, top = models_json_schema(pairs, ref_template=SCHEMAS + "{model}")
    names: dict[Any, str] = {
        model: str(reference["$ref"]).removeprefix(SCHEMAS) for (model, _), reference in keys.items()
    }
    schemas: Json = dict(sorted(top["$defs"].items()))
    schemas.update(
        _request_schemas(*(schemas[names[m]] for m in (write.Municipality, write.Office, write.Contact)))
    )
    return schemas


def _without(schema: Json, *names: str) -> Json:
    """An object schema without some properties (and without requiring them)."""
    out = copy.deepcopy(schema)
    for name in names:
        out["properties"].pop(name, None)
    out["required"] = [r for r in out.get("required", []) if r not in names]
    if not out["required"]:
        del out["required"]
    return out


def _merge_patch(schema: Json, title: str, *excluded: str) -> Json:
    """A JSON merge patch (RFC 7396) of an object: any of its fields; null removes one."""
    properties = {
        name: {"anyOf": [copy.deepcopy(spec), {"type": "null"}]}
        for name, spec in schema["properties"].items()
        if name not in excluded
    }
    return {
        "title": title,
        "description": "A JSON merge patch (RFC 7396): the fields to change; null removes an optional one. "
        "The result must be a valid entry, or the answer is a 422.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def _new(schema: Json, title: str, description: str) -> Json:
    """An entry to add: the write model without the id the directory assigns."""
    out = _without(schema, "id")
    out.update(title=title, description=description + READ_ONLY)
    return out


READ_ONLY = " Fields the API sets (etag, links, revision, updated_at, …) are accepted and ignored."


def _request_schemas(municipality: Json, office: Json, contact: Json) -> Json:
    record = _without(municipality, "version", "updated_at")
    record["title"] = "MunicipalityRecord"
    record["required"] = ["participation"]
    record["description"] = (
        "A whole municipality, as PUT replaces it: offices and contacts included. `id` defaults to "
        "the path's; name, kind, Regierungsbezirk, seat, coordinates and population default to the "
        "official reference table's (and must agree with it when given)." + READ_ONLY
    )
    return {
        "MunicipalityRecord": record,
        # Offices change through their own routes (or a PUT of the whole record).
        "MunicipalityPatch": _merge_patch(
            municipality, "MunicipalityPatch", "id", "version", "updated_at", "offices"
        ),
        "NewOffice": _new(office, "NewOffice", "An office to add; the directory assigns ids."),
        "OfficePatch": _merge_patch(office, "OfficePatch", "id", "contacts"),
        "NewContact": _new(contact, "NewContact", "A contact person to add; the directory assigns the id."),
        "ContactPatch": _merge_patch(contact, "ContactPatch", "id"),
    }
