"""A learner answers a lesson's quiz: graded here, on the server, and recorded on their
enrollment, where the first pass completes the lesson.

Only learners enrolled in the course take its quizzes; the course's instructor and admins may
try one as often as they like, graded the same way but recorded nowhere (a preview). Two
devices of one learner may submit at once: the loser of the race for the enrollment's next
version reloads and is graded again, as the next attempt, so the limit holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from commands.applications import Catalog, Learning
from commands.contention import retried
from domain.actor import Actor
from domain.courses.grading import Answer, Grade, grade
from domain.courses.quiz import NotEnrolledInCourseError, Quiz
from domain.learning.enrollment import Enrollment
from domain.learning.enrollment_terms import Status


@dataclass(frozen=True)
class AttemptQuiz:
    actor: Actor
    course_id: UUID
    module_id: str
    lesson_id: str
    answers: tuple[tuple[str, Answer], ...]
    device: str = "unknown"


@dataclass(frozen=True)
class QuizOutcome:
    """An attempt's grade and where the learner stands after it (``attempt`` is None for a
    preview, which counts nothing)."""

    quiz: Quiz
    grade: Grade
    attempt: int | None
    best_score: float | None
    passed: bool  # any attempt so far
    lesson_completed: bool
    enrollment: Enrollment | None

    @property
    def attempts_left(self) -> int | None:
        return None if self.attempt is None else self.quiz.attempts_left(self.attempt)

    @property
    def reveals_answers(self) -> bool:
        """The correct answers are shown once the learner passed or has no attempts left,
        and always in a preview: before that they would give the next attempt away."""
        return self.attempt is None or self.passed or self.attempts_left == 0


def attempt_quiz(
    cmd: AttemptQuiz, learning: Learning, catalog: Catalog, clock: Callable[[], datetime]
) -> QuizOutcome:
    with catalog.reading_course(cmd.course_id) as course:
        quiz, instructor = course.quiz_in(cmd.module_id, cmd.lesson_id), course.instructor_id
        lessons, plan = course.published_lessons(), course.plan()
    answers = dict(cmd.answers)
    if cmd.actor.is_staff_of(instructor):
        graded = grade(quiz, answers)
        return QuizOutcome(quiz, graded, None, None, graded.passed, False, None)

    def attempt() -> QuizOutcome:
        enrollment = learning.find(Enrollment.create_id(cmd.actor.user_id, cmd.course_id))
        if enrollment is None or enrollment.status is Status.DROPPED:
            raise NotEnrolledInCourseError
        graded = enrollment.attempt_quiz(
            cmd.module_id,
            cmd.lesson_id,
            quiz,
            answers,
            clock(),
            lessons,
            plan,
            cmd.device,
        )
        learning.save(enrollment)
        return QuizOutcome(
            quiz,
            graded,
            enrollment.quiz_attempts(cmd.lesson_id),
            enrollment.best_quiz_score(cmd.lesson_id),
            enrollment.passed_quiz(cmd.lesson_id),
            cmd.lesson_id in enrollment.completed_lessons(),
            enrollment,
        )

    return retried(attempt)
