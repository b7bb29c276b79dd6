"""Graded quizzes: the course's instructor (or an admin) sets a QUIZ lesson's quiz, and a
learner answers it, graded on the server. The answer says which questions were right, and the
right answers once the quiz is passed or no attempt is left."""

from __future__ import annotations

import uuid
from uuid import UUID

from fastapi import APIRouter

from commands.courses.change_course import RemoveQuiz, SetQuiz
from commands.learning.attempt_quiz import AttemptQuiz, QuizOutcome
from domain.courses.grading import Answer
from domain.courses.quiz import Option, Question, QuestionKind, Quiz
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from schemas.quizzes import (
    CorrectAnswerResponse,
    GradedQuestionResponse,
    QuizAttemptRequest,
    QuizDefinition,
    QuizDefinitionRequest,
    QuizGradedResponse,
    QuizSavedResponse,
)
from write_api.courses import MODULE, actor, done
from write_api.deps import Bus

router = APIRouter(tags=["quizzes"])
QUIZ = MODULE + "/lessons/{lesson_id}/quiz"


@router.put(QUIZ, responses=documented(QuizSavedResponse))
def set_quiz(
    course_id: UUID,
    module_id: str,
    lesson_id: str,
    body: QuizDefinitionRequest,
    user: CurrentUser,
    bus: Bus,
) -> EnvelopeResponse:
    """Set a QUIZ lesson's questions, pass mark, attempt limit and shuffling."""
    quiz = bus.handle(
        SetQuiz(actor(user), course_id, module_id=module_id, lesson_id=lesson_id, quiz=built(body))
    )
    answer = QuizSavedResponse(
        **definition(quiz).model_dump(),
        course_id=str(course_id),
        module_id=module_id,
        lesson_id=lesson_id,
        message="Quiz saved",
    )
    return success(answer.model_dump(by_alias=True))


@router.delete(QUIZ, responses=documented())
def remove_quiz(
    course_id: UUID, module_id: str, lesson_id: str, user: CurrentUser, bus: Bus
) -> EnvelopeResponse:
    """Remove a lesson's quiz: progress completes the lesson again."""
    bus.handle(RemoveQuiz(actor(user), course_id, module_id=module_id, lesson_id=lesson_id))
    return done("Quiz removed", lesson_id=lesson_id)


@router.post(QUIZ + "/attempts", status_code=201, responses=documented(QuizGradedResponse, 201))
def attempt_quiz(
    course_id: UUID,
    module_id: str,
    lesson_id: str,
    body: QuizAttemptRequest,
    user: CurrentUser,
    bus: Bus,
) -> EnvelopeResponse:
    """Answer a quiz: graded on the server; passing completes the lesson."""
    answers = tuple(
        (a.question_id, Answer(frozenset(a.option_ids), a.number, a.text)) for a in body.answers
    )
    outcome = bus.handle(
        AttemptQuiz(actor(user), course_id, module_id, lesson_id, answers, body.device)
    )
    return success(graded(course_id, lesson_id, outcome).model_dump(by_alias=True), 201)


def built(body: QuizDefinitionRequest) -> Quiz:
    """The domain's quiz, every question and option given an id (kept when the author gave one)."""
    return Quiz(
        questions=tuple(
            Question(
                id=q.id or new_id(),
                kind=QuestionKind(q.kind),
                prompt=q.prompt,
                options=tuple(Option(o.id or new_id(), o.text, o.correct) for o in q.options),
                answer=q.answer,
                tolerance=q.tolerance,
                accepted_answers=tuple(q.accepted_answers),
            )
            for q in body.questions
        ),
        pass_mark=body.pass_mark,
        max_attempts=body.max_attempts,
        shuffle=body.shuffle,
    )


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def definition(quiz: Quiz) -> QuizDefinition:
    return QuizDefinition.model_validate(quiz.as_dict())


def graded(course_id: UUID, lesson_id: str, outcome: QuizOutcome) -> QuizGradedResponse:
    reveal, enrollment = outcome.reveals_answers, outcome.enrollment
    return QuizGradedResponse(
        course_id=str(course_id),
        lesson_id=lesson_id,
        attempt=outcome.attempt,
        score=outcome.grade.score,
        passed=outcome.grade.passed,
        pass_mark=outcome.quiz.pass_mark,
        results=[
            GradedQuestionResponse(
                question_id=r.question_id,
                correct=r.correct,
                correct_answer=correct_answer(outcome.quiz.question(r.question_id))
                if reveal
                else None,
            )
            for r in outcome.grade.results
        ],
        attempts_used=outcome.attempt,
        attempts_left=outcome.attempts_left,
        best_score=outcome.best_score,
        lesson_completed=outcome.lesson_completed,
        course_progress=enrollment.progress if enrollment else None,
        status=enrollment.status.value if enrollment else None,
        preview=enrollment is None,
        message=verdict(outcome),
    )


def correct_answer(question: Question | None) -> CorrectAnswerResponse | None:
    if question is None:
        return None
    if question.kind is QuestionKind.NUMERIC:
        return CorrectAnswerResponse(number=question.answer, tolerance=question.tolerance)
    if question.kind is QuestionKind.SHORT_TEXT:
        return CorrectAnswerResponse(accepted_answers=list(question.accepted_answers))
    return CorrectAnswerResponse(option_ids=sorted(question.correct_option_ids))


def verdict(outcome: QuizOutcome) -> str:
    """What the learner is told: passed, or how far short and what is left to try."""
    grade, quiz = outcome.grade, outcome.quiz
    if grade.passed:
        return f"Passed with {grade.score:g}%"
    wrong = len(grade.results) - grade.correct_count
    told = f"Not passed: {grade.score:g}% of {quiz.pass_mark:g}% needed, {wrong} wrong"
    left = outcome.attempts_left
    return told + ("" if left is None else f"; {left} attempt{'s' * (left != 1)} left")
