"""The course's instructor (or an admin) sets a module's rubric, criteria and rating range, and
optionally its rules: the reviews each submission gets (M) and those a learner must complete
before they see their own feedback (N). A rule left out keeps its value."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Catalog, Learning
from commands.contention import retried
from commands.reviews.rules import ReviewRules, ensure_teaches, queue_of
from domain.actor import Actor
from domain.reviews.review_queue import ReviewQueue
from domain.reviews.rubric import Rubric


@dataclass(frozen=True)
class SetRubric:
    actor: Actor
    course_id: UUID
    module_id: str
    criteria: tuple[str, ...] = ()
    min_rating: float = 1
    max_rating: float = 5
    reviews_needed: int | None = None
    reviews_required: int | None = None


def set_rubric(
    cmd: SetRubric, learning: Learning, catalog: Catalog, review_rules: ReviewRules
) -> ReviewQueue:
    ensure_teaches(cmd.actor, catalog, cmd.course_id, cmd.module_id)
    rubric = Rubric(tuple(c.strip() for c in cmd.criteria), cmd.min_rating, cmd.max_rating)

    def attempt() -> ReviewQueue:
        queue = queue_of(learning, cmd.course_id, cmd.module_id, review_rules)
        queue.set_rubric(rubric)
        queue.set_rules(
            queue.reviews_needed if cmd.reviews_needed is None else cmd.reviews_needed,
            queue.reviews_required if cmd.reviews_required is None else cmd.reviews_required,
        )
        learning.save(queue)
        return queue

    return retried(attempt)
