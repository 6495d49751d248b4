"""What reading a file returns: records, and errors that locate a problem without repeating it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .records import Record

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")
_current: list[Language] = ["en"]


def language_from(env: Mapping[str, str]) -> Language:
    """German when the locale says so (LC_ALL, then LC_MESSAGES, then LANG, as gettext reads them)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "de" if value.lower().startswith("de") else "en"
    return "en"


def set_language(language: Language | None) -> None:
    """The language RowErrors are told in (``gk-admin --lang``); None: from the environment."""
    _current[0] = language or language_from(os.environ)


def current_language() -> Language:
    return _current[0]


@dataclass(frozen=True)
class RowError:
    """One problem in a file.

    ``row`` is the row as a person sees it in Excel or a text editor's CSV view (the header
    is row 1); JSON files give a ``pointer`` instead. ``column`` names the column or field.
    The message never carries the offending value: values are personal data (phone numbers,
    e-mail addresses, names), and errors end up in terminals and logs.
    """

    column: str
    message: str
    row: int | None = None
    pointer: str | None = None
    de: str | None = None  # the message in German; None: only English was written for it

    def text(self, language: Language) -> str:
        message = self.de if language == "de" and self.de else self.message
        row = "Zeile" if language == "de" else "row"
        where = f"{row} {self.row}" if self.row is not None else (self.pointer or "/")
        return f"{where}, {self.column}: {message}" if self.column else f"{where}: {message}"

    def __str__(self) -> str:
        return self.text(current_language())


@dataclass
class ReadResult:
    """Records read from a file, the errors found, and where each entry came from.

    Entries an export wrote carry their ``revision``; the file's own revision is ``revision``.
    ``origins`` maps the pointer of every municipality, office and contact read from a table
    (``/municipalities/0/offices/1/contacts/0``) to its first row, so an importer can report
    a validation error of the models at the row it came from (see ``row_of``).
    """

    records: list[Record]
    errors: list[RowError] = field(default_factory=list)
    origins: dict[str, int] = field(default_factory=dict)
    # The directory revision the file was exported at; None for a file made by hand.
    revision: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def row_of(self, pointer: str) -> int | None:
        """The row of the innermost entry containing ``pointer`` (None for JSON files)."""
        parts = pointer.rstrip("/").split("/")
        while parts:
            row = self.origins.get("/".join(parts))
            if row is not None:
                return row
            parts.pop()
        return None
