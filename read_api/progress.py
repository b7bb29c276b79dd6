"""A learner's progress in one enrollment (spec §7): where to resume, the course's share done,
time spent, and each lesson opened. Like the enrollment, it is its learner's and the admins'."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends

from domain.errors import NotFoundError
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.deps import ReadDb
from read_api.enrollments import visible_enrollment
from read_api.queries.progress import progress_view
from schemas.learning_views import ProgressView

router = APIRouter(prefix="/api/progress", tags=["progress"])


class ProgressNotFoundError(NotFoundError):
    """No progress to show: no lesson opened yet, or not the caller's enrollment."""

    message = "Progress not found"


@router.get(
    "/{enrollment_id}",
    # The outline's locks follow from the course's rules too.
    dependencies=[Depends(consistent_with("enrollments")), Depends(consistent_with("catalog"))],
    responses=documented(ProgressView),
)
def get_progress(enrollment_id: UUID, viewer: CurrentUser, db: ReadDb) -> EnvelopeResponse:
    """Progress in an enrollment: where to resume, and which lessons are locked."""
    enrollment = visible_enrollment(db, enrollment_id, viewer, ProgressNotFoundError)
    found = progress_view(db, enrollment)
    if found is None:
        raise ProgressNotFoundError
    return success(found)
