"""The committed OpenAPI document, and checks of real responses against it (jsonschema)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from chalicelib.web.assets import ASSETS

DOCUMENT = ASSETS / "openapi.json"
Json = dict[str, Any]


@cache
def document() -> Json:
    loaded: Json = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    return loaded


def documented_operations(doc: Json | None = None) -> set[tuple[str, str]]:
    """(path, METHOD) of every operation the document describes."""
    doc = doc or document()
    return {(path, method.upper()) for path, item in doc["paths"].items() for method in item}


def _resolve(doc: Json, value: Json) -> Json:
    while "$ref" in value:
        node: Any = doc
        for part in value["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        value = node
    return value


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    found = []
    for template in document()["paths"]:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        found.append((re.compile(f"^{pattern}$"), template))
    return found


def template_of(path: str) -> str:
    """The documented path template a concrete path (without query) falls under."""
    matches = [template for pattern, template in _templates() if pattern.match(path)]
    assert matches, f"{path} matches no documented path"
    # A literal segment beats a parameter (/contacts/{id}/vcard over /contacts/{id}).
    return min(matches, key=lambda template: template.count("{"))


@dataclass(frozen=True)
class Checked:
    method: str
    template: str
    status: int


def check_response(
    method: str, path: str, status: int, headers: Mapping[str, str], body: bytes | str
) -> Checked:
    """Assert that a response is one the document describes: status, media type and body schema."""
    doc = document()
    template = template_of(path.split("?", 1)[0])
    # HEAD is GET without the body (web/head.py): GET's operation describes it.
    operation = doc["paths"][template].get("get" if method == "HEAD" else method.lower())
    assert operation is not None, f"{method} {template} is not documented"
    responses = operation["responses"]
    described = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
    assert described is not None, (
        f"{method} {template}: status {status} is not documented ({sorted(responses)})"
    )
    described = _resolve(doc, described)
    content = described.get("content")
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if not content:
        assert not raw, f"{method} {template} {status}: documented without a body, got {raw[:200]!r}"
        return Checked(method, template, status)
    media_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "").split(";")[0].strip()
    assert media_type in content, f"{method} {template} {status}: {media_type!r} not in {sorted(content)}"
    if method == "HEAD":
        assert not raw, f"HEAD {template} {status}: a body"
        return Checked(method, template, status)
    schema = content[media_type]["schema"]
    if media_type == "application/json" or media_type.endswith("+json"):
        validate(json.loads(raw), schema, f"{method} {path} {status}")
    else:
        validate(raw.decode("utf-8"), schema, f"{method} {path} {status}")
    return Checked(method, template, status)


def validate(instance: Any, schema: Json, where: str = "") -> None:
    """Validate against a schema of the document; its $refs resolve within the document."""
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", "components": document()["components"]}
    validator = Draft202012Validator(
        {**root, "allOf": [schema]}, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, f"{where}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}" for e in errors[:5]
    )


# Every response the API layer checked against the document in this run (test_openapi_responses
# adds to it); tests/api/conftest.py asks at the end of the run whether it covered the document.
REACHED: set[Checked] = set()


def unreached_operations(reached: set[Checked]) -> set[tuple[str, str]]:
    """(path, METHOD) of documented operations no checked response came from."""
    return documented_operations() - {(seen.template, seen.method) for seen in reached}
