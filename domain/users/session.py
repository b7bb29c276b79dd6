"""The Session aggregate: one family of rotating refresh tokens, from login to logout.

Each refresh hands out a new token id and retires the old one. A retired id presented again
means the token leaked: the whole family is revoked (refresh-token reuse detection).
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import UnauthorizedError


class SessionRevokedError(UnauthorizedError):
    """The session was ended (logout, reuse detected, user blocked)."""

    message = "Session is no longer valid"


class TokenReuseError(SessionRevokedError):
    """A retired refresh token came back: the family is revoked."""

    message = "Refresh token was already used; the session has been revoked"


class Session(Aggregate):
    """A login session of one user, identified by its refresh-token family."""

    @event("Started")
    def __init__(self, user_id: UUID, token_id: str, method: str) -> None:
        self.user_id = user_id
        self.token_id = token_id
        self.method = method
        self.revoked_reason: str | None = None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_reason is not None

    def rotate(self, presented_token_id: str, new_token_id: str) -> None:
        """Retire the presented token for a new one; a stale token revokes the family."""
        if self.is_revoked:
            raise SessionRevokedError
        if presented_token_id != self.token_id:
            self.revoke("refresh token reused")
            raise TokenReuseError
        self._rotate(token_id=new_token_id)

    @event("Rotated")
    def _rotate(self, token_id: str) -> None:
        self.token_id = token_id

    def revoke(self, reason: str) -> None:
        if not self.is_revoked:
            self._revoke(reason=reason)

    @event("Revoked")
    def _revoke(self, reason: str) -> None:
        self.revoked_reason = reason
