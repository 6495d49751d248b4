"""What reading a file returns: records, and errors that locate a problem without repeating it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import Record


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

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else (self.pointer or "/")
        return f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


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
