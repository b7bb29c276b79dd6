"""Helpers for peer-review tests: a course taught by an instructor, learners enrolled in it,
and the calls each of them makes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from httpx import Response

from commands.bus import inject
from commands.reviews.pull_review import PullReview, pull_review
from commands.reviews.release_lapsed_reviews import ReleaseLapsedReviews, release_lapsed_reviews
from commands.reviews.rules import ReviewRules
from commands.reviews.submit_review import SubmitReview, submit_review
from projections.queries.lapsed_leases import LapsedQueuesQuery
from tests.api import admin_token, data, token_for
from tests.conftest import Running
from tests.courses import create_course, structure
from tests.learning import Learner, enrolled, learner, merged


@dataclass
class Cohort:
    """A published course taught by ``instructor``, and a module of it to review work for."""

    running: Running
    instructor: Learner
    admin: Learner
    course_id: str
    module_id: str
    module_ids: tuple[str, ...] = ()

    @property
    def client(self):
        return self.running.client

    def learner(self) -> Learner:
        return enrolled(self.client, self.course_id)

    def stranger(self) -> Learner:
        return learner(self.client)

    def post(self, who: Learner, path: str, **body: Any) -> Response:
        fields = {"courseId": self.course_id, "moduleId": self.module_id} | body
        return who.wrote(
            self.client.post(f"/api/peer-reviews/{path}", json=fields, headers=who.headers())
        )

    def in_module(self, index: int) -> Cohort:
        """The same cohort reviewing another module of the course."""
        return replace(self, module_id=self.module_ids[index])

    def set_rules(self, who: Learner, **rules: Any) -> Response:
        """POST the module's rubric (the default one) with ``rules`` such as reviewsNeeded."""
        return self.post(who, "rubric", **rules)

    def submit_work(self, who: Learner, content: str = "My essay") -> Response:
        return self.post(who, "submissions", content=content)

    def pull(self, who: Learner) -> Response:
        return self.post(who, "next")

    def review(self, who: Learner, assignment_id: str, rating: float = 4, **body: Any) -> Response:
        fields = {
            "assignmentId": assignment_id,
            "feedback": "Clear and well argued",
            "rating": rating,
        }
        return self.post(who, "submit", **(fields | body))

    def reviews_of(self, reader: Learner, submitter: Learner, *writers: Learner) -> Response:
        """GET the submitter's reviews once every write of ``writers`` is projected."""
        reader.written = merged(reader.written, *(w.written for w in writers))
        return self.client.get(f"/api/peer-reviews/{submitter.user_id}", headers=reader.headers())

    def at(self, moment: datetime) -> None:
        """Pull and review as if the clock showed ``moment`` (the bus's other handlers keep
        the real clock)."""
        apps = self.running.campus.apps
        deps = {
            "learning": apps["learning"],
            "review_rules": ReviewRules(),
            "clock": lambda: moment,
        }
        bus = self.running.campus.bus
        bus.handlers[PullReview] = inject(pull_review, deps)
        bus.handlers[SubmitReview] = inject(submit_review, deps)


def sweep_lapsed_leases(running: Running, who: Learner, moment: datetime) -> int:
    """Run the scheduler's lease sweep as if the clock showed ``moment``, once the read model
    holds everything ``who`` wrote; answer how many leases it took back."""
    client = running.client
    assert client.get(f"/api/peer-reviews/{who.user_id}", headers=who.headers()).status_code in (
        200,
        404,
    )
    deps = {
        "lapsed_queues": LapsedQueuesQuery(running.campus.read_engine),
        "learning": running.campus.apps["learning"],
        "clock": lambda: moment,
    }
    return inject(release_lapsed_reviews, deps)(ReleaseLapsedReviews())


def cohort(running: Running) -> Cohort:
    client = running.client
    instructor = Learner(token_for(running, "instructor"), "")
    course_id, written = create_course(client, instructor.token, status="published")
    instructor.written = written
    modules = data(structure(client, instructor.token, course_id, written))["modules"]
    admin = Learner(admin_token(running), "")
    ids = tuple(m["id"] for m in modules)
    return Cohort(running, instructor, admin, course_id, ids[0], ids)
