"""A write's preconditions (If-Match, If-None-Match) and what it leaves behind."""

from __future__ import annotations

from dataclasses import dataclass

from .entries import EntryKind, Json
from .errors import PreconditionFailed, PreconditionRequired


@dataclass(frozen=True)
class Written:
    kind: EntryKind
    id: str
    municipality_id: str
    entry: Json | None  # the editable representation; None after a delete
    etag: str | None
    revision: int
    created: bool = False


@dataclass(frozen=True)
class Preconditions:
    """The request's If-Match / If-None-Match, as sent."""

    if_match: str | None = None
    if_none_match: str | None = None

    def check(self, current_etag: str | None, current: Json | None = None) -> None:
        """428 without If-Match, 412 when it names another ETag (or the entry is missing).

        A 412 carries the entry as it is now (`current`, the editable representation),
        so an editor can show what changed and let its user keep one or the other.
        """
        conflict: Json = {"etag": current_etag, "current": current} if current_etag else {}
        if self.if_none_match is not None and self.if_none_match.strip() == "*":
            if current_etag is not None:
                raise PreconditionFailed("the entry exists already", conflict)
            return
        if self.if_match is None:
            raise PreconditionRequired(
                "send If-Match with the entry's ETag (or '*') so no change is overwritten unseen"
            )
        if current_etag is None:
            raise PreconditionFailed("the entry does not exist")
        wanted = [tag.strip() for tag in self.if_match.split(",")]
        if "*" not in wanted and current_etag not in wanted:
            raise PreconditionFailed("the entry was changed meanwhile", conflict)
