"""Client input → validated content, or one 422 that lists every invalid field.

Errors carry a JSON pointer into the submitted body and a message — never the
submitted value: these details reach clients and may reach logs, and values are
phone numbers, e-mail addresses and names.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..domain.errors import InvalidRecord

ModelT = TypeVar("ModelT", bound=BaseModel)

# What a client reads but never writes: the API sets these. Accepted and ignored on
# input, so an editor can send back what it read.
READ_ONLY = frozenset(
    {
        "updated_at",
        "updated_by",
        "confirmed_at",
        "confirmed_by",
        "revision",
        "created_revision",
        "etag",
        "links",
        "version",
        "tombstones",
        "pending",
        "deleted",
        "name_display",
        "phone_display",
        "fax_display",
    }
)

_GENERIC = {
    "value_error": "invalid value",
    "string_pattern_mismatch": "does not have the expected form",
}


def pointer(location: tuple[int | str, ...]) -> str:
    """RFC 6901 JSON pointer of a pydantic error location."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in location)


_EMAIL = "value is not a valid email address"


def message_of(error: Any) -> str:
    """A pydantic error's message, without anything of the value it was given.

    The model's own messages state rules; pydantic's state limits and expectations.
    email-validator's explain with the characters or parts of the address that are
    wrong ("…contains invalid characters: '<'"), so only their first clause is kept.
    """
    message = str(error.get("msg", "invalid value"))
    if message.startswith(_EMAIL):
        return _EMAIL
    value = error.get("input")
    # A last guard for any other validator that quotes its input.
    if (
        isinstance(value, str)
        and value
        and (
            value in message
            or any(part and part in message for part in value.replace("@", " ").split() if len(part) > 3)
        )
    ):
        return _GENERIC.get(str(error.get("type")), "invalid value")
    return message


def details_of(exc: ValidationError, prefix: str = "") -> list[dict[str, str]]:
    return [
        {"pointer": prefix + pointer(tuple(e["loc"])), "message": message_of(e), "type": str(e["type"])}
        for e in exc.errors()
    ]


def strip_read_only(value: Any) -> Any:
    """Client input without the fields the API sets (recursively)."""
    if isinstance(value, dict):
        return {k: strip_read_only(v) for k, v in value.items() if k not in READ_ONLY}
    if isinstance(value, list):
        return [strip_read_only(v) for v in value]
    return value


def validated(
    model: type[ModelT], content: Any, prefix: str = "", exclude: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The content as the model normalises it (E.164 phones, canonical language tags, …)."""
    if not isinstance(content, dict):
        error = {"pointer": prefix, "message": "expected a JSON object", "type": "dict_type"}
        raise InvalidRecord("the body must be a JSON object", {"errors": [error]})
    try:
        instance = model.model_validate(content)
    except ValidationError as exc:
        errors = details_of(exc, prefix)
        raise InvalidRecord(f"{len(errors)} invalid field(s)", {"errors": errors}) from None
    normalised: dict[str, Any] = json.loads(instance.model_dump_json(exclude_none=True, exclude=set(exclude)))
    return normalised


def require_object(body: Any) -> None:
    if not isinstance(body, dict):
        raise InvalidRecord("the body must be a JSON object", error_at("", "expected a JSON object"))


def error_at(pointer: str, message: str) -> dict[str, Any]:
    """The details of a 422 naming one field by its JSON pointer."""
    return {"errors": [{"pointer": pointer, "message": message, "type": "value_error"}]}


def room_for(name: str, siblings: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The siblings, if an added entry leaves the document valid: the models bound offices and contacts."""
    if len(siblings) >= limit:
        raise InvalidRecord(
            f"there are {limit} {name} here already, the most there may be",
            {"errors": [{"pointer": "", "message": f"at most {limit} {name}", "type": "too_long"}]},
        )
    return siblings
