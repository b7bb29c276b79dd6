"""Register a user: the account and its unique claims, saved together or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.applications import Identity
from commands.users.ports import PasswordHasher
from domain.users.roles import Role
from domain.users.unique_key import KeyTakenError, UniqueKey, normalize_email
from domain.users.user import User


@dataclass(frozen=True)
class RegisterUser:
    email: str
    password: str | None
    name: str
    phone: str | None = None
    avatar_url: str | None = None
    role: Role = Role.STUDENT


def register_user(cmd: RegisterUser, identity: Identity, hasher: PasswordHasher) -> UUID:
    email = normalize_email(cmd.email)
    ensure_unclaimed(identity, "email", email, "Email is already registered")
    if cmd.phone:
        ensure_unclaimed(identity, "phone", cmd.phone, "Phone is already registered")
    password_hash = hasher.hash(cmd.password) if cmd.password else None
    user = User(email, cmd.phone, cmd.name, cmd.avatar_url, password_hash, cmd.role.value)
    save_with_claims(
        identity, user, [("email", email)] + ([("phone", cmd.phone)] if cmd.phone else [])
    )
    return user.id


def ensure_unclaimed(identity: Identity, kind: str, value: str, message: str) -> None:
    if identity.find_key_owner(kind, value) is not None:
        raise KeyTakenError(message)


def save_with_claims(identity: Identity, user: User, claims: list[tuple[str, str]]) -> None:
    """Save the user with its claims in one transaction; a lost race is a conflict."""
    keys = [claimed(identity, kind, value, user) for kind, value in claims]
    try:
        identity.save(user, *keys)
    except IntegrityError:
        raise KeyTakenError from None


def claimed(identity: Identity, kind: str, value: str, user: User) -> UniqueKey:
    """A new claim, or one an erased user released, taken again."""
    released = identity.find_key(kind, value)
    if released is None:
        return UniqueKey(kind, value, user.id)
    released.reclaim(value, user.id)
    return released
