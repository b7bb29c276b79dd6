"""A learner's enrollments (spec §8): one by id, or their list. An enrollment is its learner's
and the admins'; for anyone else it does not exist (404), so its id reveals nothing."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from domain.errors import ForbiddenError, NotFoundError
from domain.learning.enrollment_terms import EnrollmentNotFoundError
from infra.security.tokens import AccessClaims
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.deps import Page, PageSize, ReadDb
from read_api.queries.enrollments import enrollment_page, enrollment_row, view
from schemas.learning_views import EnrollmentPage, EnrollmentStatus, EnrollmentView

router = APIRouter(prefix="/api/enrollments", tags=["enrollments"])
Fresh = Depends(consistent_with("enrollments"))


@router.get("", dependencies=[Fresh], responses=documented(EnrollmentPage, errors=(403,)))
def list_enrollments(
    viewer: CurrentUser,
    db: ReadDb,
    page: Page = 1,
    page_size: PageSize = 20,
    status: EnrollmentStatus | None = None,
    user_id: Annotated[UUID | None, Query(alias="userId")] = None,
) -> EnvelopeResponse:
    """The caller's enrollments, newest first; admins may name another learner."""
    learner = str(learner_listed(viewer, user_id))
    return success(enrollment_page(db, page, page_size, learner, status))


@router.get("/{enrollment_id}", dependencies=[Fresh], responses=documented(EnrollmentView))
def get_enrollment(enrollment_id: UUID, viewer: CurrentUser, db: ReadDb) -> EnvelopeResponse:
    """One enrollment: its status, progress and the lesson last visited."""
    return success(view(visible_enrollment(db, enrollment_id, viewer, EnrollmentNotFoundError)))


def learner_listed(viewer: AccessClaims, user_id: UUID | None) -> UUID:
    if user_id is None or user_id == viewer.user_id:
        return viewer.user_id
    if viewer.role != "admin":
        raise ForbiddenError("You can only list your own enrollments")
    return user_id


def visible_enrollment(
    db: Connection, enrollment_id: UUID, viewer: AccessClaims, missing: type[NotFoundError]
) -> Any:
    """The enrollment's row, if it is the viewer's or the viewer is an admin; else ``missing``."""
    row = enrollment_row(db, str(enrollment_id))
    if row is None or (viewer.role != "admin" and row.user_id != str(viewer.user_id)):
        raise missing
    return row
