"""The Enrollment aggregate: one learner in one course, and everything they did there.

Its id is derived from (learner, course), so a second enrollment is refused by the event store
even when a hundred requests race. Progress is recorded per lesson: the best completion share
reached (watching again never undoes it), the time spent (it accumulates), the playback offset
and when it was last opened. The learner resumes at the last lesson they *visited*, at the
offset they left it. The course's progress is the share of its published lessons completed;
reaching all of them completes the enrollment. A lesson the course's rules keep locked
(``domain.courses.unlocking``) takes no progress until what unlocks it is complete.
A lesson holding a quiz is completed by passing the quiz, never by reporting progress: each
attempt is graded and recorded, and the first one that passes completes the lesson as a study
session reaching 1.0 would, so course completion and certificates follow unchanged.
Histories are long, so the application snapshots this aggregate.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.courses.grading import Answer, Grade, grade
from domain.courses.quiz import Quiz
from domain.courses.unlocking import LessonLockedError, Plan
from domain.errors import ConflictError, InvalidInputError
from domain.learning.enrollment_terms import (
    COMPLETE,
    Device,
    Source,
    Status,
    enrollment_id_of,
)

MAX_SESSION_SECONDS = 24 * 3600  # one update cannot claim more than a day of study


class AlreadyEnrolledError(ConflictError):
    message = "User already enrolled"


class EnrollmentDroppedError(ConflictError):
    message = "This enrollment was dropped"


class QuizNotPassedError(ConflictError):
    """Reporting a lesson complete when only passing its quiz completes it."""

    message = "Pass this lesson's quiz to complete it"

    def __init__(self, lesson_id: str) -> None:
        super().__init__(self.message, {"lessonId": lesson_id})


class QuizAttemptsUsedUpError(ConflictError):
    """Another attempt at a quiz whose attempt limit the learner has reached."""

    message = "No attempts left at this quiz"

    def __init__(self, lesson_id: str, used: int, limit: int) -> None:
        super().__init__(
            f"{self.message}: all {limit} used",
            {"lessonId": lesson_id, "attemptsUsed": used, "maxAttempts": limit},
        )


class Enrollment(Aggregate):
    """Version 2: the state gained ``quizzes``; a snapshot taken before holds no attempts."""

    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["quizzes"] = {}

    @staticmethod
    def create_id(user_id: UUID, course_id: UUID) -> UUID:
        return enrollment_id_of(user_id, course_id)

    @event("Enrolled")
    def __init__(
        self,
        user_id: UUID,
        course_id: UUID,
        source: str,
        payment_id: UUID | None,
        granted_by: UUID | None,
    ) -> None:
        self.user_id, self.course_id = user_id, course_id
        self.source, self.payment_id, self.granted_by = Source(source), payment_id, granted_by
        self.status = Status.IN_PROGRESS
        self.lessons: dict[str, dict[str, Any]] = {}
        self.current_module_id: str | None = None
        self.current_lesson_id: str | None = None
        self.position_seconds = 0
        self.time_spent = 0
        self.last_accessed: datetime | None = None
        self.progress = 0.0
        self.completed_at: datetime | None = None
        self.rating: int | None = None
        # Per quiz lesson: attempts made, best score, whether one passed.
        self.quizzes: dict[str, dict[str, Any]] = {}

    @classmethod
    def enroll(
        cls,
        user_id: UUID,
        course_id: UUID,
        source: Source,
        payment_id: UUID | None = None,
        granted_by: UUID | None = None,
    ) -> Enrollment:
        """A new enrollment, with the welcome its learner is owed."""
        enrollment = cls(user_id, course_id, source.value, payment_id, granted_by)
        enrollment._request_welcome(user_id, course_id)
        return enrollment

    @event("WelcomeRequested")
    def _request_welcome(self, user_id: UUID, course_id: UUID) -> None:
        """A notification to deliver; the notification service reacts to this fact."""

    def record_progress(
        self,
        module_id: str,
        lesson_id: str,
        progress: float,
        time_spent: int,
        position_seconds: int | None,
        at: datetime,
        published: Mapping[str, str],
        device: str = Device.UNKNOWN,
        plan: Plan | None = None,
        quiz_lessons: AbstractSet[str] = frozenset(),
    ) -> None:
        """Record a study session of one lesson; ``published`` maps lesson ids to their module
        for the lessons the course counts towards completion, ``plan`` holds the course's
        rules for its learner (none for the course's staff, who are never locked), and
        ``quiz_lessons`` the lessons only a passed quiz completes."""
        self.ensure_may_study(module_id, lesson_id, published, plan)
        if not 0 <= progress <= 1:
            raise InvalidInputError("progress must be between 0 and 1")
        if not 0 <= time_spent <= MAX_SESSION_SECONDS:
            raise InvalidInputError(f"timeSpent must be 0-{MAX_SESSION_SECONDS} seconds")
        if position_seconds is not None and position_seconds < 0:
            raise InvalidInputError("positionSeconds cannot be negative")
        # Rounded before it is judged: what is stored is what counts as complete.
        best = round(max(self.lessons.get(lesson_id, {}).get("progress", 0.0), progress), 4)
        if best >= COMPLETE and lesson_id in quiz_lessons and not self.passed_quiz(lesson_id):
            raise QuizNotPassedError(lesson_id)
        session = (time_spent, position_seconds or 0, at, Device(device).value)
        self.advance(module_id, lesson_id, best, session, published)

    def advance(
        self,
        module_id: str,
        lesson_id: str,
        best: float,
        session: tuple[int, int, datetime, str],
        published: Mapping[str, str],
    ) -> None:
        """Record a lesson's best share after a session (seconds, offset, when, device), and
        complete the enrollment once every lesson the course counts is complete."""
        done = {k for k, v in self.lessons.items() if v["progress"] >= COMPLETE and k in published}
        if best >= COMPLETE:
            done.add(lesson_id)
        course_progress = round(len(done) / len(published), 4)
        time_spent, position_seconds, at, device = session
        self._progress(
            module_id, lesson_id, best, time_spent, position_seconds, at, course_progress, device
        )
        if course_progress >= COMPLETE and self.status is Status.IN_PROGRESS:
            self._complete(at)

    def ensure_may_study(
        self, module_id: str, lesson_id: str, published: Mapping[str, str], plan: Plan | None
    ) -> None:
        if self.status is Status.DROPPED:
            raise EnrollmentDroppedError
        if not published or published.get(lesson_id) != module_id:
            raise InvalidInputError("This lesson is not a published lesson of this module")
        lock = plan.unlocking(self.completed_lessons()).lesson(lesson_id) if plan else None
        if lock and lock.locked:
            raise LessonLockedError(lesson_id, lock)

    class LessonProgressed(Aggregate.Event):
        """Version 2: sessions gained the ``device``; one recorded before is ``unknown``."""

        class_version = 2
        module_id: str
        lesson_id: str
        lesson_progress: float
        time_spent: int
        position_seconds: int
        accessed_at: datetime
        course_progress: float
        device: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["device"] = Device.UNKNOWN.value

    @event(LessonProgressed)
    def _progress(
        self,
        module_id: str,
        lesson_id: str,
        lesson_progress: float,
        time_spent: int,
        position_seconds: int,
        accessed_at: datetime,
        course_progress: float,
        device: str,
    ) -> None:
        lesson = self.lessons.setdefault(lesson_id, {"progress": 0.0, "time_spent": 0})
        lesson["progress"] = lesson_progress
        lesson["time_spent"] += time_spent
        lesson["position_seconds"] = position_seconds
        lesson["module_id"] = module_id
        self.current_module_id, self.current_lesson_id = module_id, lesson_id
        self.position_seconds = position_seconds
        self.time_spent += time_spent
        self.last_accessed = accessed_at
        self.progress = course_progress

    def attempt_quiz(
        self,
        module_id: str,
        lesson_id: str,
        quiz: Quiz,
        answers: Mapping[str, Answer],
        at: datetime,
        published: Mapping[str, str],
        plan: Plan | None = None,
        device: str = Device.UNKNOWN,
    ) -> Grade:
        """Grade an attempt at a lesson's quiz and record it; the first pass completes the
        lesson. Locked lessons and attempts past the quiz's limit are refused."""
        self.ensure_may_study(module_id, lesson_id, published, plan)
        used = self.quiz_attempts(lesson_id)
        if quiz.max_attempts is not None and used >= quiz.max_attempts:
            raise QuizAttemptsUsedUpError(lesson_id, used, quiz.max_attempts)
        graded = grade(quiz, answers)
        results = [{"question_id": r.question_id, "correct": r.correct} for r in graded.results]
        self._attempt_quiz(module_id, lesson_id, used + 1, graded.score, graded.passed, results, at)
        if graded.passed and lesson_id not in self.completed_lessons():
            session = (0, 0, at, Device(device).value)  # the attempt's time is not reported
            self.advance(module_id, lesson_id, COMPLETE, session, published)
        return graded

    @event("QuizAttempted")
    def _attempt_quiz(
        self,
        module_id: str,
        lesson_id: str,
        attempt: int,
        score: float,
        passed: bool,
        results: list[dict[str, Any]],
        attempted_at: datetime,
    ) -> None:
        quiz = self.quizzes.setdefault(lesson_id, {"attempts": 0, "best": 0.0, "passed": False})
        quiz["attempts"] = attempt
        quiz["best"] = max(quiz["best"], score)
        quiz["passed"] = quiz["passed"] or passed

    def quiz_attempts(self, lesson_id: str) -> int:
        return self.quizzes.get(lesson_id, {}).get("attempts", 0)

    def passed_quiz(self, lesson_id: str) -> bool:
        return self.quizzes.get(lesson_id, {}).get("passed", False)

    def best_quiz_score(self, lesson_id: str) -> float | None:
        return self.quizzes.get(lesson_id, {}).get("best")

    @event("Completed")
    def _complete(self, completed_at: datetime) -> None:
        self.status = Status.COMPLETED
        self.completed_at = completed_at

    def drop(self) -> None:
        if self.status is not Status.DROPPED:
            self._drop()

    @event("Dropped")
    def _drop(self) -> None:
        self.status = Status.DROPPED

    def readmit(self, source: Source, payment_id: UUID | None, granted_by: UUID | None) -> None:
        """A learner whose enrollment a refund dropped pays (or is granted) again: the same
        enrollment, progress and all, takes them back; anyone else is enrolled already."""
        if self.status is not Status.DROPPED:
            raise AlreadyEnrolledError
        self._readmit(source.value, payment_id, granted_by)

    @event("Readmitted")
    def _readmit(self, source: str, payment_id: UUID | None, granted_by: UUID | None) -> None:
        self.source, self.payment_id, self.granted_by = Source(source), payment_id, granted_by
        self.status = Status.COMPLETED if self.completed_at else Status.IN_PROGRESS

    def rate(self, stars: int) -> None:
        """An enrolled learner rates the course once, and may change their mind; a learner
        whose enrollment a refund dropped no longer rates it."""
        if self.status is Status.DROPPED:
            raise EnrollmentDroppedError
        if not 1 <= stars <= 5:
            raise InvalidInputError("A rating is 1 to 5 stars")
        if stars != self.rating:
            self._rate(self.course_id, stars, self.rating)

    @event("Rated")
    def _rate(self, course_id: UUID, stars: int, previous: int | None) -> None:
        self.rating = stars

    @property
    def is_completed(self) -> bool:
        return self.status is Status.COMPLETED

    def completed_lessons(self) -> set[str]:
        return {k for k, v in self.lessons.items() if v["progress"] >= COMPLETE}
