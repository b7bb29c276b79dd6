"""Refresh a session: rotate its refresh token, or revoke the family when a token is reused."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.applications import Identity, Sessions
from commands.sessions.start_session import SessionGrant, new_token_id
from commands.users.ports import AccessRevocations


@dataclass(frozen=True)
class RefreshSession:
    session_id: UUID
    token_id: str


def refresh_session(
    cmd: RefreshSession, sessions: Sessions, identity: Identity, revocations: AccessRevocations
) -> SessionGrant:
    try:
        return rotate(cmd, sessions, identity, revocations)
    except IntegrityError:
        # A concurrent refresh rotated first, so this token is now a reused one: rotating
        # again against the fresh state revokes the family, as reuse must.
        return rotate(cmd, sessions, identity, revocations)


def rotate(
    cmd: RefreshSession, sessions: Sessions, identity: Identity, revocations: AccessRevocations
) -> SessionGrant:
    session = sessions.get_session(cmd.session_id)
    user = identity.get_user(session.user_id)
    try:
        if user.is_blocked:
            session.revoke("user blocked")
        elif not user.accepts_session_started(session.created_on):
            session.revoke("password changed")
        user.ensure_active()
        session.rotate(cmd.token_id, new_token_id())
    finally:
        sessions.save(session)  # a revocation is recorded even when the refresh is refused
        if session.is_revoked:
            revocations.revoke_session(session.id)  # and the family's access tokens die too
    return SessionGrant(user.id, user.role, session.id, session.token_id)
