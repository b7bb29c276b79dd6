"""A submitter's peer reviews (spec §9): the reviews of their work and its average rating.

The submitter sees theirs, an admin anyone's, an instructor those of the courses they teach;
anyone else is refused. A module may require its learners to complete N reviews before they see
the feedback on their own work: until then the submitter is told the module's reviews are
withheld, and how many they still owe. Instructors and admins always see everything.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from domain.errors import ForbiddenError, NotFoundError
from infra.security.tokens import AccessClaims
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.deps import ReadDb
from read_api.queries.peer_reviews import reviews_of, summary, withheld_from
from schemas.learning import PartId
from schemas.peer_reviews import SubmitterReviewsView

router = APIRouter(prefix="/api/peer-reviews", tags=["peer reviews"])
Fresh = Depends(consistent_with("peer_reviews"))


class NoReviewsError(NotFoundError):
    message = "No reviews found"


@router.get(
    "/{submitter_id}",
    dependencies=[Fresh],
    responses=documented(SubmitterReviewsView, errors=(403,)),
)
def submitter_reviews(
    submitter_id: UUID,
    viewer: CurrentUser,
    db: ReadDb,
    course_id: Annotated[UUID | None, Query(alias="courseId")] = None,
    module_id: Annotated[PartId | None, Query(alias="moduleId")] = None,
) -> EnvelopeResponse:
    """Reviews of a learner's work, with the average rating and per-criterion medians."""
    rows = reviews_of(
        db,
        str(submitter_id),
        instructor_scope(viewer, submitter_id),
        str(course_id) if course_id else None,
        module_id,
    )
    if not rows:
        raise NoReviewsError
    withheld = (
        withheld_from(db, str(submitter_id), rows) if must_review(viewer, submitter_id) else []
    )
    return success(summary(rows, withheld).model_dump(by_alias=True))


def instructor_scope(viewer: AccessClaims, submitter_id: UUID) -> str | None:
    """None when the viewer sees every review; an instructor's id to keep to their courses."""
    if viewer.user_id == submitter_id or viewer.role == "admin":
        return None
    if viewer.role == "instructor":
        return str(viewer.user_id)
    raise ForbiddenError("Only the submitter, their instructor or an admin may read these reviews")


def must_review(viewer: AccessClaims, submitter_id: UUID) -> bool:
    """Whether the viewer reads their own feedback as a learner, bound by "must review N"."""
    return viewer.user_id == submitter_id and viewer.role not in ("admin", "instructor")
