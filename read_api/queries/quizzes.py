"""Queries on quizzes: a quiz as its learner takes it (no answers, in the attempt's order), and
the attempts an enrollment made, for the quiz itself, progress and the dashboard.

The quiz comes from the course's structure document (catalog), the attempts from
``quiz_attempts`` (enrollments). The order of a shuffled quiz is drawn by the domain's rule
from the learner, the lesson and the number of the attempt to come, so a reload shows the same
order and the next attempt another.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from domain.courses.grading import attempt_seed, shuffled
from domain.courses.quiz import QuizNotFoundError
from domain.courses.unlocking import OPEN, Lock
from domain.learning.enrollment_terms import Status
from projections.enrollments import enrollments
from projections.quiz_attempts import quiz_attempts
from projections.structure_document import lesson_home
from read_api.queries.unlocking import unlocked_by
from schemas.base import iso_utc
from schemas.learning_views import QuestionResultView, QuizProgressView
from schemas.quizzes import AttemptView, OptionView, QuestionView, QuizView


def quiz_document(course: Any, module_id: str, lesson_id: str, full: bool) -> dict[str, Any]:
    """The lesson's quiz as published (answers and all); drafts only for the course's staff."""
    try:
        module, lesson = lesson_home(course.structure, lesson_id)
    except StopIteration:
        raise QuizNotFoundError from None
    hidden = module["status"] != "published" or lesson["status"] != "published"
    if module["id"] != module_id or "quiz" not in lesson or (hidden and not full):
        raise QuizNotFoundError
    return lesson["quiz"]


def attempts_of(
    conn: Connection, enrollment_id: str, lesson_ids: Iterable[str] | None = None
) -> list[Any]:
    """The enrollment's attempts (at these lessons' quizzes), by lesson, oldest first."""
    query = select(quiz_attempts).where(quiz_attempts.c.enrollment_id == enrollment_id)
    if lesson_ids is not None:
        query = query.where(quiz_attempts.c.lesson_id.in_(list(lesson_ids)))
    return list(conn.execute(query.order_by(quiz_attempts.c.lesson_id, quiz_attempts.c.attempt)))


def quiz_view(
    course: Any,
    module_id: str,
    lesson_id: str,
    quiz: dict[str, Any],
    learner_id: str,
    attempts: list[Any],
    lock: Lock = OPEN,
) -> QuizView:
    used, limit = len(attempts), quiz.get("maxAttempts")
    seed = attempt_seed(learner_id, lesson_id, used + 1) if quiz.get("shuffle") else None
    return QuizView(
        course_id=course.id,
        module_id=module_id,
        lesson_id=lesson_id,
        pass_mark=quiz["passMark"],
        max_attempts=limit,
        shuffle=bool(quiz.get("shuffle")),
        attempt=used + 1,
        attempts_used=used,
        attempts_left=None if limit is None else max(limit - used, 0),
        best_score=max((a.score for a in attempts), default=None),
        passed=any(a.passed for a in attempts),
        locked=lock.locked,
        unlocked_by=unlocked_by(lock),
        questions=arranged(quiz["questions"], seed),
        attempts=[attempt_view(a) for a in attempts],
    )


def arranged(questions: list[dict[str, Any]], seed: str | None) -> list[QuestionView]:
    """The questions without their answers, in the attempt's order when ``seed`` is given."""
    by_id = {q["id"]: q for q in questions}
    order = shuffled(list(by_id), seed) if seed else list(by_id)
    return [question_view(by_id[i], seed and f"{seed}:{i}") for i in order]


def question_view(question: dict[str, Any], seed: str | None) -> QuestionView:
    options = {o["id"]: o["text"] for o in question.get("options", [])}
    order = shuffled(list(options), seed) if seed else list(options)
    return QuestionView(
        id=question["id"],
        kind=question["kind"],
        prompt=question["prompt"],
        options=[OptionView(id=i, text=options[i]) for i in order],
    )


def attempt_view(row: Any) -> AttemptView:
    return AttemptView(
        attempt=row.attempt,
        score=row.score,
        passed=bool(row.passed),
        attempted_at=iso_utc(row.attempted_at),
        results=[QuestionResultView(**r) for r in row.results],
    )


def quiz_progress(enrollment: Any, attempts: list[Any]) -> list[QuizProgressView]:
    """Per quiz lesson of the enrollment: attempts, best score, and the latest attempt's
    results per question (``attempts`` ordered by lesson, then attempt)."""
    by_lesson: dict[str, list[Any]] = {}
    for row in attempts:
        by_lesson.setdefault(row.lesson_id, []).append(row)
    return [
        QuizProgressView(
            enrollment_id=enrollment.enrollment_id,
            course_id=enrollment.course_id,
            module_id=rows[-1].module_id,
            lesson_id=lesson_id,
            attempts=len(rows),
            best_score=max(r.score for r in rows),
            passed=any(r.passed for r in rows),
            last_attempted_at=iso_utc(rows[-1].attempted_at),
            results=[QuestionResultView(**r) for r in rows[-1].results],
        )
        for lesson_id, rows in by_lesson.items()
    ]


def learner_quizzes(conn: Connection, user_id: str) -> list[QuizProgressView]:
    """Every quiz the learner attempted in courses they have not dropped, most recent first."""
    rows = conn.execute(
        select(quiz_attempts, enrollments.c.course_id)
        .join(enrollments, enrollments.c.enrollment_id == quiz_attempts.c.enrollment_id)
        .where(enrollments.c.user_id == user_id, enrollments.c.status != Status.DROPPED.value)
        .order_by(quiz_attempts.c.enrollment_id, quiz_attempts.c.lesson_id, quiz_attempts.c.attempt)
    ).all()
    by_enrollment: dict[str, list[Any]] = {}
    for row in rows:
        by_enrollment.setdefault(row.enrollment_id, []).append(row)
    found = [
        quiz for attempts in by_enrollment.values() for quiz in quiz_progress(attempts[0], attempts)
    ]
    return sorted(found, key=lambda q: q.last_attempted_at, reverse=True)
