"""Start a session (a refresh-token family) for a user who has just proved who they are."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from uuid import UUID

from commands.applications import Identity, Sessions
from domain.users.roles import Role
from domain.users.session import Session
from domain.users.user import User


@dataclass(frozen=True)
class SessionGrant:
    """What the API needs to mint tokens for a signed-in user."""

    user_id: UUID
    role: Role
    session_id: UUID
    token_id: str


def new_token_id() -> str:
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class StartSession:
    user_id: UUID
    method: str


def start_session(cmd: StartSession, sessions: Sessions, identity: Identity) -> SessionGrant:
    user = identity.get_user(cmd.user_id)
    user.ensure_active()
    return open_session(sessions, user, cmd.method)


def open_session(sessions: Sessions, user: User, method: str) -> SessionGrant:
    session = Session(user.id, new_token_id(), method)
    sessions.save(session)
    return SessionGrant(user.id, user.role, session.id, session.token_id)
