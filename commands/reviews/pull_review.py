"""A learner asks the module's queue for the next work to review.

First the queue takes back every lease that ran out (their assignments expire), then it hands
the reviewer the oldest work they may review. Reviewers pulling at once race for the queue's
next version; each loser reloads and is handed something else, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from commands.applications import Learning
from commands.contention import retried
from commands.reviews.assign_review import assigned
from commands.reviews.rules import ReviewRules, ensure_enrolled
from domain.actor import Actor
from domain.reviews.review_assignment import ReviewAssignment
from domain.reviews.review_queue import ReviewQueue
from domain.reviews.submission import Submission


@dataclass(frozen=True)
class PullReview:
    actor: Actor
    course_id: UUID
    module_id: str


@dataclass(frozen=True)
class Pulled:
    """The new assignment, with the work to review."""

    assignment: ReviewAssignment
    submission: Submission
    queue: ReviewQueue


def pull_review(
    cmd: PullReview, learning: Learning, review_rules: ReviewRules, clock: Callable[[], datetime]
) -> Pulled:
    reviewer_id = cmd.actor.user_id
    ensure_enrolled(learning, reviewer_id, cmd.course_id)

    def attempt() -> Pulled:
        now, queue = clock(), learning.get_review_queue(cmd.course_id, cmd.module_id)
        lapsed = [expire(learning, queue, a) for a in queue.expired(now)]
        submission = learning.get_submission(queue.next_for(reviewer_id))
        assignment = assigned(cmd.actor, submission, reviewer_id, now, review_rules)
        queue.assign(assignment.id, reviewer_id, submission.id, now, review_rules.lease)
        learning.save(queue, assignment, *lapsed)
        return Pulled(assignment, submission, queue)

    return retried(attempt)


def expire(learning: Learning, queue: ReviewQueue, assignment_id: UUID) -> ReviewAssignment:
    queue.release(assignment_id)
    assignment = learning.get_assignment(assignment_id)
    assignment.expire()
    return assignment
