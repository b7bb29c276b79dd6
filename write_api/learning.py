"""Learning (spec §7, §8, §11): enroll, record progress, rate a course, set preferences."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from commands.learning.enroll import EnrollInCourse
from commands.learning.rate_course import RateCourse
from commands.learning.update_progress import UpdateProgress
from commands.users.set_preferences import SetPreferences
from domain.learning.enrollment_terms import progress_id
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from schemas.learning import (
    EnrolledResponse,
    EnrollRequest,
    PreferencesResponse,
    PreferencesUpdateRequest,
    ProgressRecordedResponse,
    ProgressUpdateRequest,
    RatingRequest,
)
from write_api.courses import actor
from write_api.deps import Bus

router = APIRouter(tags=["learning"])


@router.post(
    "/api/enrollments/enroll",
    status_code=201,
    responses=documented(EnrolledResponse, 201, errors=(402,)),
)
def enroll(body: EnrollRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Enroll in a course: paid for, free, or (admins, without a payment) granted."""
    enrollment = bus.handle(
        EnrollInCourse(actor(user), body.user_id or user.user_id, body.course_id, body.payment_id)
    )
    answer = EnrolledResponse(enrollment_id=str(enrollment.id), message="Enrollment successful")
    return success(answer.model_dump(by_alias=True), 201)


@router.post("/api/progress/update", responses=documented(ProgressRecordedResponse))
def update_progress(body: ProgressUpdateRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Record progress in a lesson: share done (0..1), time spent, and where playback stopped."""
    enrollment = bus.handle(
        UpdateProgress(
            actor(user),
            body.enrollment_id,
            body.module_id,
            body.lesson_id,
            body.progress,
            body.time_spent,
            body.position_seconds,
            body.device,
        )
    )
    answer = ProgressRecordedResponse(
        progress_id=progress_id(enrollment.id, body.lesson_id),
        enrollment_id=str(enrollment.id),
        course_progress=enrollment.progress,
        status=enrollment.status.value,
        message="Progress updated successfully",
    )
    return success(answer.model_dump(by_alias=True))


@router.post("/api/courses/{course_id}/rating", responses=documented())
def rate(course_id: UUID, body: RatingRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Rate a course you are enrolled in, 1 to 5 stars (rating again changes it).

    A learner whose enrollment a full refund dropped is answered 409."""
    bus.handle(RateCourse(actor(user), course_id, body.rating))
    return success({"courseId": str(course_id), "rating": body.rating, "message": "Rating saved"})


@router.put("/api/user/preferences", responses=documented(PreferencesResponse))
def set_preferences(
    body: PreferencesUpdateRequest, user: CurrentUser, bus: Bus
) -> EnvelopeResponse:
    """Choose notification channels (email, in_app, push), language and time zone."""
    channels = body.notification_channels
    preferences = bus.handle(
        SetPreferences(
            user.user_id,
            tuple(channels) if channels is not None else None,
            body.language,
            body.timezone,
        )
    )
    answer = PreferencesResponse(
        notification_channels=list(preferences.channels),
        language=preferences.language,
        timezone=preferences.timezone,
        message="Preferences updated successfully",
    )
    return success(answer.model_dump(by_alias=True))
