"""The admin's list of users (spec §10), paginated and filtered by role and status."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends

from infra.web.auth import AdminUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.deps import Page, PageSize, ReadDb
from read_api.queries.users import user_page
from schemas.auth import UserPage

router = APIRouter(prefix="/api/admin/users", tags=["admin"])


@router.get("", dependencies=[Depends(consistent_with("users"))], responses=documented(UserPage))
def list_users(
    _: AdminUser,
    db: ReadDb,
    page: Page = 1,
    page_size: PageSize = 20,
    role: Literal["student", "instructor", "admin", "auditor"] | None = None,
    status: Literal["active", "blocked"] | None = None,
) -> EnvelopeResponse:
    """All users, oldest first."""
    return success(user_page(db, page, page_size, role, status))
