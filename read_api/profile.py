"""The signed-in user's profile (spec §1)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from domain.errors import NotFoundError
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.deps import Reads
from read_api.queries.users import profile
from schemas.auth import OwnProfileView

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.get(
    "/user/profile",
    dependencies=[Depends(consistent_with("users"))],
    responses=documented(OwnProfileView, errors=(404,)),
)
async def get_profile(user: CurrentUser, reads: Reads) -> EnvelopeResponse:
    """The caller's own profile, with their preferences."""
    found = await reads.query(profile, str(user.user_id))
    if found is None:
        raise NotFoundError("User not found")
    return success(found)
