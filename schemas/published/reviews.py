"""Published events of peer review: submissions, review queues and assignments
(application ``learning``).

Each model matches its domain event class, minus private fields;
tests/unit/test_published_payloads.py fails when the two disagree.
"""

from __future__ import annotations

from typing import Any, ClassVar

from schemas.published.base import Instant, PublishedPayload, Uuid


class SubmissionSubmitted(PublishedPayload):
    NAME: ClassVar[str] = "Submission.Submitted"
    learner_id: Uuid
    course_id: Uuid
    module_id: str
    content: str | None
    url: str | None


class ReviewQueueOpened(PublishedPayload):
    NAME: ClassVar[str] = "ReviewQueue.Opened"
    course_id: Uuid
    module_id: str
    reviews_needed: int


class ReviewQueueAssigned(PublishedPayload):
    NAME: ClassVar[str] = "ReviewQueue.Assigned"
    assignment_id: Uuid
    reviewer_id: Uuid
    submission_id: Uuid
    expires_at: Instant


class ReviewQueueReleased(PublishedPayload):
    NAME: ClassVar[str] = "ReviewQueue.Released"
    assignment_id: Uuid


class ReviewQueueReviewRecorded(PublishedPayload):
    NAME: ClassVar[str] = "ReviewQueue.ReviewRecorded"
    assignment_id: Uuid


class ReviewQueueRubricSet(PublishedPayload):
    NAME: ClassVar[str] = "ReviewQueue.RubricSet"
    criteria: list[Any]
    min_rating: float
    max_rating: float


class ReviewQueueRulesSet(PublishedPayload):
    NAME: ClassVar[str] = "ReviewQueue.RulesSet"
    reviews_needed: int
    reviews_required: int


class ReviewQueueSubmissionQueued(PublishedPayload):
    NAME: ClassVar[str] = "ReviewQueue.SubmissionQueued"
    submission_id: Uuid
    author_id: Uuid


class ReviewAssignmentAssigned(PublishedPayload):
    NAME: ClassVar[str] = "ReviewAssignment.Assigned"
    course_id: Uuid
    module_id: str
    submission_id: Uuid
    submitter_id: Uuid
    reviewer_id: Uuid
    assigned_by: Uuid
    assigned_at: Instant
    expires_at: Instant


class ReviewAssignmentExpired(PublishedPayload):
    NAME: ClassVar[str] = "ReviewAssignment.Expired"


class ReviewAssignmentReviewed(PublishedPayload):
    NAME: ClassVar[str] = "ReviewAssignment.Reviewed"
    rating: float
    feedback: str
    scores: list[Any]
    reviewed_at: Instant
