"""The course's instructor (or an admin) asks an enrolled learner to review a submission.

An explicit assignment goes through the module's queue like a pulled one, so the queue never
hands the same work to that reviewer again; it may exceed the reviews the work still needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from commands.applications import Catalog, Learning
from commands.contention import retried
from commands.reviews.rules import ReviewRules, ensure_teaches, is_enrolled
from domain.actor import Actor
from domain.errors import InvalidInputError
from domain.reviews.review_assignment import ReviewAssignment
from domain.reviews.review_queue import ReviewQueue
from domain.reviews.submission import Submission


class ReviewerNotEnrolledError(InvalidInputError):
    message = "The reviewer is not enrolled in this course"


@dataclass(frozen=True)
class AssignReview:
    actor: Actor
    course_id: UUID
    module_id: str
    reviewer_id: UUID
    submitter_id: UUID


def assign_review(
    cmd: AssignReview,
    learning: Learning,
    catalog: Catalog,
    review_rules: ReviewRules,
    clock: Callable[[], datetime],
) -> ReviewAssignment:
    ensure_teaches(cmd.actor, catalog, cmd.course_id, cmd.module_id)
    if not is_enrolled(learning, cmd.reviewer_id, cmd.course_id):
        raise ReviewerNotEnrolledError
    submission_id = Submission.create_id(cmd.submitter_id, cmd.course_id, cmd.module_id)

    def attempt() -> ReviewAssignment:
        submission = learning.get_submission(submission_id)
        queue: ReviewQueue = learning.get_review_queue(cmd.course_id, cmd.module_id)
        now = clock()
        assignment = assigned(cmd.actor, submission, cmd.reviewer_id, now, review_rules)
        queue.assign(assignment.id, cmd.reviewer_id, submission.id, now, review_rules.lease)
        learning.save(queue, assignment)
        return assignment

    return retried(attempt)


def assigned(
    by: Actor, submission: Submission, reviewer_id: UUID, now: datetime, rules: ReviewRules
) -> ReviewAssignment:
    """A new assignment of the submission to the reviewer, leased from ``now``."""
    return ReviewAssignment(
        submission.course_id,
        submission.module_id,
        submission.id,
        submission.learner_id,
        reviewer_id,
        by.user_id,
        now,
        now + rules.lease,
    )
