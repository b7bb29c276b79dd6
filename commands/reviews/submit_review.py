"""The assigned reviewer submits their review: a rating, feedback and the rubric's scores.

The review is recorded on the assignment and counted by the module's queue in one save, so the
queue never asks for more reviews of work that has enough.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from commands.applications import Learning
from commands.contention import retried
from domain.actor import Actor
from domain.reviews.review_assignment import ReviewAssignment


@dataclass(frozen=True)
class SubmitReview:
    actor: Actor
    assignment_id: UUID
    rating: float
    feedback: str
    scores: tuple[tuple[str, float], ...] = ()


def submit_review(
    cmd: SubmitReview, learning: Learning, clock: Callable[[], datetime]
) -> ReviewAssignment:
    def attempt() -> ReviewAssignment:
        assignment = learning.get_assignment(cmd.assignment_id)
        scores = list(cmd.scores)
        assignment.review(cmd.actor.user_id, cmd.rating, cmd.feedback, scores, clock())
        queue = learning.get_review_queue(assignment.course_id, assignment.module_id)
        queue.record_review(assignment.id, cmd.rating, dict(scores))
        learning.save(assignment, queue)
        return assignment

    return retried(attempt)
