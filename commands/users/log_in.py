"""Log in with e-mail and password: check the credentials and start a session."""

from __future__ import annotations

from dataclasses import dataclass

from commands.applications import Identity, Sessions
from commands.sessions.start_session import SessionGrant, open_session
from commands.users.ports import PasswordHasher
from domain.users.unique_key import normalize_email
from domain.users.user import InvalidCredentialsError, User


@dataclass(frozen=True)
class LogIn:
    email: str
    password: str


def log_in(
    cmd: LogIn, identity: Identity, sessions: Sessions, hasher: PasswordHasher
) -> SessionGrant:
    user = authenticate(identity, hasher, normalize_email(cmd.email), cmd.password)
    user.ensure_active()
    if hasher.needs_rehash(user.password_hash or ""):
        user.rehash_password(hasher.hash(cmd.password))
        identity.save(user)
    return open_session(sessions, user, "password")


def authenticate(identity: Identity, hasher: PasswordHasher, email: str, password: str) -> User:
    owner_id = identity.find_key_owner("email", email)
    user = identity.get_user(owner_id) if owner_id else None
    # Verify even without an account (hash None), so timing does not tell which e-mails exist.
    if not hasher.verify(user.password_hash if user else None, password) or user is None:
        raise InvalidCredentialsError
    return user
