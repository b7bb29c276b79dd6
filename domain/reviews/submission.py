"""The Submission aggregate: a learner's work for one module of a course.

Its id is derived from (learner, course, module), so a learner has one submission per module:
a second submission is refused by the event store however the requests race. The work does not
change once submitted: reviewers must all judge the same thing.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, InvalidInputError, NotFoundError

MAX_CONTENT = 50_000  # characters: an essay, not a file; larger work goes behind a URL


class SubmissionNotFoundError(NotFoundError):
    message = "Submission not found"


class AlreadySubmittedError(ConflictError):
    message = "Work for this module was already submitted"


def ensure_work(content: str | None, url: str | None) -> None:
    if not (content or "").strip() and not (url or "").strip():
        raise InvalidInputError("A submission needs content or a URL")
    if content and len(content) > MAX_CONTENT:
        raise InvalidInputError(f"content is limited to {MAX_CONTENT} characters")


class Submission(Aggregate):
    @staticmethod
    def create_id(learner_id: UUID, course_id: UUID, module_id: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"campus:submission:{learner_id}:{course_id}:{module_id}")

    @classmethod
    def submit(
        cls, learner_id: UUID, course_id: UUID, module_id: str, content: str | None, url: str | None
    ) -> Submission:
        ensure_work(content, url)
        return cls(learner_id, course_id, module_id, content, url)

    @event("Submitted")
    def __init__(
        self,
        learner_id: UUID,
        course_id: UUID,
        module_id: str,
        content: str | None,
        url: str | None,
    ) -> None:
        self.learner_id, self.course_id, self.module_id = learner_id, course_id, module_id
        self.content, self.url = content, url
