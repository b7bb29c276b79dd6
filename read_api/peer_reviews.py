"""A submitter's peer reviews (spec §9): the reviews of their work and its average rating.

The submitter sees all of theirs, an admin anyone's, an instructor those of the courses they
teach; anyone else is refused.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from domain.errors import ForbiddenError, NotFoundError
from infra.security.tokens import AccessClaims
from infra.web.auth import CurrentUser
from infra.web.envelope import EnvelopeResponse, documented, success
from read_api.consistency import consistent_with
from read_api.deps import ReadDb
from read_api.queries.peer_reviews import reviews_of, summary
from schemas.learning import PartId
from schemas.peer_reviews import SubmitterReviews

router = APIRouter(prefix="/api/peer-reviews", tags=["peer reviews"])
Fresh = Depends(consistent_with("peer_reviews"))


class NoReviewsError(NotFoundError):
    message = "No reviews found"


@router.get("/{submitter_id}", dependencies=[Fresh], responses=documented(SubmitterReviews))
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
    return success(summary(rows).model_dump(by_alias=True))


def instructor_scope(viewer: AccessClaims, submitter_id: UUID) -> str | None:
    """None when the viewer sees every review; an instructor's id to keep to their courses."""
    if viewer.user_id == submitter_id or viewer.role == "admin":
        return None
    if viewer.role == "instructor":
        return str(viewer.user_id)
    raise ForbiddenError("Only the submitter, their instructor or an admin may read these reviews")
