"""The ReviewAssignment aggregate: one reviewer asked to review one submission.

It is leased: until ``expires_at`` the submission counts as being reviewed by this reviewer;
afterwards the module's review queue may take it back (``Expired``) and hand the work to someone
else. Until the queue does, a late review is still welcome: the work is not lost for nothing.
Only the assigned reviewer reviews, once.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, InvalidInputError, NotFoundError
from domain.reviews.review_terms import AssignmentStatus, NotTheReviewerError

MAX_FEEDBACK = 10_000


class AssignmentNotFoundError(NotFoundError):
    message = "Review assignment not found"


class AlreadyReviewedError(ConflictError):
    message = "This review was already submitted"


class LeaseExpiredError(ConflictError):
    message = "This review assignment expired and went back to the queue"


class ReviewAssignment(Aggregate):
    @event("Assigned")
    def __init__(
        self,
        course_id: UUID,
        module_id: str,
        submission_id: UUID,
        submitter_id: UUID,
        reviewer_id: UUID,
        assigned_by: UUID,
        assigned_at: datetime,
        expires_at: datetime,
    ) -> None:
        self.course_id, self.module_id = course_id, module_id
        self.submission_id, self.submitter_id = submission_id, submitter_id
        self.reviewer_id, self.assigned_by = reviewer_id, assigned_by
        self.assigned_at, self.expires_at = assigned_at, expires_at
        self.status = AssignmentStatus.PENDING
        self.rating: float | None = None

    def review(
        self,
        reviewer_id: UUID,
        rating: float,
        feedback: str,
        scores: list[tuple[str, float]],
        at: datetime,
    ) -> None:
        if reviewer_id != self.reviewer_id:
            raise NotTheReviewerError
        if self.status is AssignmentStatus.COMPLETED:
            raise AlreadyReviewedError
        if self.status is AssignmentStatus.EXPIRED:
            raise LeaseExpiredError
        if not feedback.strip():
            raise InvalidInputError("feedback is required")
        if len(feedback) > MAX_FEEDBACK:
            raise InvalidInputError(f"feedback is limited to {MAX_FEEDBACK} characters")
        # Pairs, not a dict: published event dicts have their keys camelCased as field names.
        self._review(rating, feedback.strip(), [[name, score] for name, score in scores], at)

    @event("Reviewed")
    def _review(
        self, rating: float, feedback: str, scores: list[list[str | float]], reviewed_at: datetime
    ) -> None:
        self.status, self.rating = AssignmentStatus.COMPLETED, rating

    def expire(self) -> None:
        if self.status is AssignmentStatus.PENDING:
            self._expire()

    @event("Expired")
    def _expire(self) -> None:
        self.status = AssignmentStatus.EXPIRED
