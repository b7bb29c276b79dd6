"""End a session (logout): revoke its refresh tokens and its live access tokens."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Sessions
from commands.users.ports import AccessRevocations
from domain.users.session import SessionRevokedError


@dataclass(frozen=True)
class EndSession:
    user_id: UUID
    session_id: UUID


def end_session(cmd: EndSession, sessions: Sessions, revocations: AccessRevocations) -> None:
    session = sessions.get_session(cmd.session_id)
    if session.user_id != cmd.user_id:
        raise SessionRevokedError
    session.revoke("logout")
    sessions.save(session)
    revocations.revoke_session(session.id)
