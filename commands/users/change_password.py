"""Change one's password: prove the current one; every other session ends."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from commands.applications import Identity
from commands.users.ports import AccessRevocations, PasswordHasher
from domain.users.user import InvalidCredentialsError


@dataclass(frozen=True)
class ChangePassword:
    user_id: UUID
    current_password: str
    new_password: str


def change_password(
    cmd: ChangePassword, identity: Identity, hasher: PasswordHasher, revocations: AccessRevocations
) -> None:
    user = identity.get_user(cmd.user_id)
    user.ensure_active()
    if not hasher.verify(user.password_hash, cmd.current_password):
        raise InvalidCredentialsError("Current password is incorrect")
    user.change_password(hasher.hash(cmd.new_password), datetime.now(UTC))
    identity.save(user)
    revocations.revoke_user_tokens(user.id, issued_before=time.time())
