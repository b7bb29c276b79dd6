"""Administer a user: change the role, block, unblock.

Each change also tells the token checker, so a demoted or blocked user's unexpired access
tokens stop working from the next request on instead of at their expiry.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from uuid import UUID

from commands.applications import Identity
from commands.users.ports import AccessRevocations
from domain.errors import ForbiddenError
from domain.users.roles import Role


class SelfAdministrationError(ForbiddenError):
    """An admin may not block or demote themselves (it could leave no admin at all)."""

    message = "Admins cannot block or change the role of their own account"


@dataclass(frozen=True)
class ChangeRole:
    admin_id: UUID
    user_id: UUID
    role: Role


@dataclass(frozen=True)
class BlockUser:
    admin_id: UUID
    user_id: UUID
    reason: str = ""


@dataclass(frozen=True)
class UnblockUser:
    admin_id: UUID
    user_id: UUID


def change_role(cmd: ChangeRole, identity: Identity, revocations: AccessRevocations) -> None:
    ensure_not_self(cmd.admin_id, cmd.user_id)
    user = identity.get_user(cmd.user_id)
    user.change_role(cmd.role)
    if identity.save(user):
        revocations.revoke_user_tokens(user.id, issued_before=time.time())


def block_user(cmd: BlockUser, identity: Identity, revocations: AccessRevocations) -> None:
    ensure_not_self(cmd.admin_id, cmd.user_id)
    user = identity.get_user(cmd.user_id)
    user.block(cmd.reason)
    identity.save(user)
    # Even when already blocked: repeating the revocation is harmless and heals a lost one.
    revocations.revoke_user_tokens(user.id, issued_before=time.time())


def unblock_user(cmd: UnblockUser, identity: Identity) -> None:
    user = identity.get_user(cmd.user_id)
    user.unblock()
    identity.save(user)


def ensure_not_self(admin_id: UUID, user_id: UUID) -> None:
    if admin_id == user_id:
        raise SelfAdministrationError
