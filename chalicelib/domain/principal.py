"""Who is writing: a token's public id, its label and its scope."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Forbidden
from .vocabulary import MUNICIPALITY_ID

ADMIN = "admin"
MUNICIPALITY_SCOPE = "municipality:"


def valid_scope(scope: str) -> bool:
    if scope == ADMIN:
        return True
    return scope.startswith(MUNICIPALITY_SCOPE) and bool(
        MUNICIPALITY_ID.match(scope.removeprefix(MUNICIPALITY_SCOPE))
    )


@dataclass(frozen=True)
class Principal:
    token_id: str
    label: str
    scope: str  # "admin" or "municipality:<AGS>"

    @property
    def is_admin(self) -> bool:
        return self.scope == ADMIN

    @property
    def municipality_id(self) -> str | None:
        return None if self.is_admin else self.scope.removeprefix(MUNICIPALITY_SCOPE)

    def may_write(self, municipality_id: str) -> bool:
        return self.is_admin or self.municipality_id == municipality_id

    def require(self, municipality_id: str) -> None:
        """Forbidden unless this principal may change that municipality and its entries."""
        if not self.may_write(municipality_id):
            # The id is the caller's own request; nothing about other tokens is said.
            raise Forbidden("this token may not change that entry", {"scope": self.scope})

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("only an admin token may do this", {"scope": self.scope})
