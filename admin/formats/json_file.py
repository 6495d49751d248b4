"""JSON: ``{"municipalities": [...]}`` exactly as ``data/directory.json`` and the import take it.

Written UTF-8 (no escapes for umlauts), two-space indent, municipalities sorted by id, keys
in the models' field order, a final newline: the same records always give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from .records import ordered, sort_by_id
from .result import ReadResult, RowError


def write_json(records: Iterable[Mapping[str, Any]], revision: int | None = None) -> bytes:
    """The records as a directory file; ``revision``: the directory revision they were taken at."""
    document: dict[str, Any] = {} if revision is None else {"revision": revision}
    document["municipalities"] = [ordered(record) for record in sort_by_id(records)]
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_json(data: bytes) -> ReadResult:
    """Records from a directory file; errors carry a JSON pointer instead of a row."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return ReadResult([], [RowError("", "not UTF-8 text", pointer="")])
    except json.JSONDecodeError as problem:
        # msg/lineno/colno say what and where, never the text found there.
        where = f"line {problem.lineno}, column {problem.colno}"
        return ReadResult([], [RowError("", f"not valid JSON: {problem.msg} at {where}", pointer="")])
    if not isinstance(document, dict) or not isinstance(document.get("municipalities"), list):
        return ReadResult([], [RowError("municipalities", 'expected {"municipalities": [...]}', pointer="")])
    records = []
    errors = []
    for index, record in enumerate(document["municipalities"]):
        if isinstance(record, dict):
            records.append(record)
        else:
            errors.append(RowError("", "not an object", pointer=f"/municipalities/{index}"))
    revision = document.get("revision")
    if revision is not None and (isinstance(revision, bool) or not isinstance(revision, int)):
        errors.append(RowError("revision", "not a whole number", pointer="/revision"))
        revision = None
    return ReadResult(records, errors, revision=revision)
