"""The signed-in user's own space (spec §11): their dashboard and their preferences."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from domain.errors import NotFoundError
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.deps import Reads
from read_api.queries.dashboard import dashboard
from read_api.queries.users import preferences
from schemas.auth import UserPreferencesView
from schemas.learning_views import DashboardView

router = APIRouter(prefix="/api/user", tags=["user"])


@router.get(
    "/dashboard",
    # A learner who just completed a course and earned its certificate sees both.
    dependencies=[
        Depends(consistent_with("enrollments")),
        Depends(consistent_with("certificates")),
    ],
    responses=documented(DashboardView, errors=(404,)),
)
async def get_dashboard(user: CurrentUser, reads: Reads) -> EnvelopeResponse:
    """Courses under way with where to resume, courses completed, certificates, time spent."""
    return success(await reads.query(dashboard, str(user.user_id)))


@router.get(
    "/preferences",
    dependencies=[Depends(consistent_with("users"))],
    responses=documented(UserPreferencesView),
)
async def get_preferences(user: CurrentUser, reads: Reads) -> EnvelopeResponse:
    """The caller's notification channels, language and time zone."""
    found = await reads.query(preferences, str(user.user_id))
    if found is None:
        raise NotFoundError("User not found")
    return success(found)
