"""Admin commands on users: block, unblock, change role (spec §10), erase personal data."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from commands.users.administer_user import BlockUser, ChangeRole, UnblockUser
from commands.users.erase_personal_data import ErasePersonalData
from domain.users.roles import Role
from infra.web.auth import AdminUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from schemas.auth import BlockRequest, RoleChangeRequest, UserChangedResponse
from write_api.deps import Bus

router = APIRouter(prefix="/api/admin/users", tags=["admin"])


@router.post("/{user_id}/block", responses=documented(UserChangedResponse))
def block(
    user_id: UUID, admin: AdminUser, bus: Bus, body: BlockRequest | None = None
) -> EnvelopeResponse:
    """Block a user: they are refused from their next request on."""
    bus.handle(BlockUser(admin.user_id, user_id, body.reason if body else ""))
    return success(UserChangedResponse(user_id=str(user_id), message="User blocked"))


@router.post("/{user_id}/unblock", responses=documented(UserChangedResponse))
def unblock(user_id: UUID, admin: AdminUser, bus: Bus) -> EnvelopeResponse:
    """Unblock a user: they may sign in again."""
    bus.handle(UnblockUser(admin.user_id, user_id))
    return success(UserChangedResponse(user_id=str(user_id), message="User unblocked"))


@router.put("/{user_id}/role", responses=documented(UserChangedResponse))
def change_role(
    user_id: UUID, body: RoleChangeRequest, admin: AdminUser, bus: Bus
) -> EnvelopeResponse:
    """Give a user the student, instructor, admin or auditor role."""
    bus.handle(ChangeRole(admin.user_id, user_id, Role(body.role)))
    return success(UserChangedResponse(user_id=str(user_id), message="Role changed"))


@router.delete("/{user_id}/personal-data", responses=documented(UserChangedResponse, errors=(404,)))
def erase_personal_data(user_id: UUID, admin: AdminUser, bus: Bus) -> EnvelopeResponse:
    """Erase a user's personal data for good (crypto-shredding): their key is destroyed, so
    what it sealed in every event, message and copy reads as nothing; the books keep their
    amounts and ids. An admin cannot erase their own account here (403): it could leave no
    admin."""
    bus.handle(ErasePersonalData(user_id, requested_by=admin.user_id))
    return success(UserChangedResponse(user_id=str(user_id), message="Personal data erased"))
