"""The ReviewQueue aggregate: who reviews what in one module of one course.

Every assignment of the module is decided here, so two reviewers pulling at once race for the
queue's next version: the loser reloads and is handed something else, and no submission is ever
held by more reviewers than it needs. Submissions wait oldest first; a reviewer is never handed
their own work or work they already hold or reviewed. A lease that ran out is taken back
(``Released``), and the submission waits again.

The module's rules (``RulesSet``) are the reviews each submission gets from the queue (M), and
the reviews a learner must complete in the module before they see the feedback on their own
work (N, as ORA2's "must grade"). A queue opens with M from the settings and N = 0; queues
opened before the rules existed replay the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, InvalidInputError, NotFoundError
from domain.reviews.rubric import Rubric
from domain.reviews.submission import SubmissionNotFoundError


class NothingToReviewError(NotFoundError):
    message = "Nothing to review"


class OwnWorkError(InvalidInputError):
    message = "A learner cannot review their own work"


class AlreadyAssignedError(ConflictError):
    message = "This reviewer already holds or reviewed this submission"


class RubricInUseError(ConflictError):
    message = "The rubric cannot change once reviews were submitted"


MAX_REVIEWS = 20  # of either rule: more asks too much of a cohort


@dataclass(frozen=True)
class Hold:
    reviewer_id: UUID
    submission_id: UUID
    expires_at: datetime


class ReviewQueue(Aggregate):
    @staticmethod
    def create_id(course_id: UUID, module_id: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"campus:review-queue:{course_id}:{module_id}")

    @event("Opened")
    def __init__(self, course_id: UUID, module_id: str, reviews_needed: int) -> None:
        self.course_id, self.module_id, self.reviews_needed = course_id, module_id, reviews_needed
        self.reviews_required = 0
        self.rubric = Rubric()
        self.waiting: list[UUID] = []  # submission ids, oldest first
        self.authors: dict[UUID, UUID] = {}
        self.reviewed: dict[UUID, int] = {}
        self.holds: dict[UUID, Hold] = {}  # by assignment id
        self.reviewers: dict[UUID, set[UUID]] = {}  # who holds or reviewed each submission

    @event("SubmissionQueued")
    def enqueue(self, submission_id: UUID, author_id: UUID) -> None:
        self.waiting.append(submission_id)
        self.authors[submission_id] = author_id
        self.reviewed[submission_id], self.reviewers[submission_id] = 0, set()

    def set_rubric(self, rubric: Rubric) -> None:
        """Change the rubric until the first review; the same rubric again changes nothing."""
        if rubric == self.rubric:
            return
        if any(self.reviewed.values()):
            raise RubricInUseError
        self._set_rubric(list(rubric.criteria), rubric.min_rating, rubric.max_rating)

    @event("RubricSet")
    def _set_rubric(self, criteria: list[str], min_rating: float, max_rating: float) -> None:
        self.rubric = Rubric(tuple(criteria), min_rating, max_rating)

    def set_rules(self, reviews_needed: int, reviews_required: int) -> None:
        """Set M and N; a new M only changes what the queue still seeks, so it may change later."""
        check_count("reviewsNeeded", reviews_needed, 1)
        check_count("reviewsRequired", reviews_required, 0)
        if (reviews_needed, reviews_required) != (self.reviews_needed, self.reviews_required):
            self._set_rules(reviews_needed, reviews_required)

    @event("RulesSet")
    def _set_rules(self, reviews_needed: int, reviews_required: int) -> None:
        self.reviews_needed, self.reviews_required = reviews_needed, reviews_required

    def next_for(self, reviewer_id: UUID) -> UUID:
        """The oldest submission still short of reviews that ``reviewer_id`` may review."""
        for submission_id in self.waiting:
            if self.wanted(submission_id) > 0 and self.may_review(reviewer_id, submission_id):
                return submission_id
        raise NothingToReviewError

    def wanted(self, submission_id: UUID) -> int:
        held = sum(1 for h in self.holds.values() if h.submission_id == submission_id)
        return self.reviews_needed - self.reviewed[submission_id] - held

    def may_review(self, reviewer_id: UUID, submission_id: UUID) -> bool:
        return (
            self.authors[submission_id] != reviewer_id
            and reviewer_id not in self.reviewers[submission_id]
        )

    def expired(self, now: datetime) -> list[UUID]:
        """The assignments whose lease ran out, to be released."""
        return [a for a, hold in self.holds.items() if hold.expires_at <= now]

    def assign(
        self,
        assignment_id: UUID,
        reviewer_id: UUID,
        submission_id: UUID,
        now: datetime,
        lease: timedelta,
    ) -> None:
        """Lease the submission to the reviewer (explicit assignments may exceed its need)."""
        if submission_id not in self.authors:
            raise SubmissionNotFoundError
        if self.authors[submission_id] == reviewer_id:
            raise OwnWorkError
        if reviewer_id in self.reviewers[submission_id]:
            raise AlreadyAssignedError
        self._assign(assignment_id, reviewer_id, submission_id, now + lease)

    @event("Assigned")
    def _assign(
        self, assignment_id: UUID, reviewer_id: UUID, submission_id: UUID, expires_at: datetime
    ) -> None:
        self.holds[assignment_id] = Hold(reviewer_id, submission_id, expires_at)
        self.reviewers[submission_id].add(reviewer_id)

    @event("Released")
    def release(self, assignment_id: UUID) -> None:
        hold = self.holds.pop(assignment_id)
        self.reviewers[hold.submission_id].discard(hold.reviewer_id)

    def record_review(
        self, assignment_id: UUID, rating: float, scores: Mapping[str, float]
    ) -> None:
        self.rubric.check(rating, scores)
        self._record_review(assignment_id)

    @event("ReviewRecorded")
    def _record_review(self, assignment_id: UUID) -> None:
        hold = self.holds.pop(assignment_id)
        self.reviewed[hold.submission_id] += 1


def check_count(name: str, count: int, least: int) -> None:
    if not least <= count <= MAX_REVIEWS:
        raise InvalidInputError(f"{name} must be between {least} and {MAX_REVIEWS}")
