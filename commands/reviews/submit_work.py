"""An enrolled learner submits their work for a module, which queues it for peer review.

The submission and its place in the module's queue are saved together; two learners submitting
at once race for the queue's next version, and the loser reloads and queues behind the winner.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Catalog, Learning
from commands.contention import retried
from commands.reviews.rules import ReviewRules, ensure_enrolled, queue_of
from domain.actor import Actor
from domain.reviews.submission import AlreadySubmittedError, Submission


@dataclass(frozen=True)
class SubmitWork:
    actor: Actor
    course_id: UUID
    module_id: str
    content: str | None = None
    url: str | None = None


def submit_work(
    cmd: SubmitWork, learning: Learning, catalog: Catalog, review_rules: ReviewRules
) -> Submission:
    learner_id = cmd.actor.user_id
    ensure_enrolled(learning, learner_id, cmd.course_id)
    catalog.get_course(cmd.course_id).module(cmd.module_id)

    def attempt() -> Submission:
        if learning.find(Submission.create_id(learner_id, cmd.course_id, cmd.module_id)):
            raise AlreadySubmittedError
        submission = Submission.submit(
            learner_id, cmd.course_id, cmd.module_id, cmd.content, cmd.url
        )
        queue = queue_of(learning, cmd.course_id, cmd.module_id, review_rules)
        queue.enqueue(submission.id, learner_id)
        learning.save(submission, queue)
        return submission

    return retried(attempt)
