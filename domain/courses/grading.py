"""Grading a quiz attempt, and the order a learner sees its questions in.

Grading is by ids, never by position: the order an attempt was shown in cannot change its
grade. A question left unanswered is wrong; an answer to a question the quiz does not ask is
refused, so a typo in an id is not silently graded as wrong. The score is the share of
questions right in percent, kept to two places; whether it passes is judged on the exact
share, so rounding never passes a learner who fell short.

With shuffling on, each attempt shows the questions, and each question's options, in an order
drawn from the learner, the lesson and the attempt's number: a reload shows the same order, the
next attempt another.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.courses.quiz import CHOICES, InvalidQuizError, Question, QuestionKind, Quiz, normalized


@dataclass(frozen=True)
class Answer:
    """A learner's answer to one question: the options picked, a number or a text."""

    option_ids: frozenset[str] = frozenset()
    number: float | None = None
    text: str | None = None


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    correct: bool


@dataclass(frozen=True)
class Grade:
    score: float  # percent of the questions right, 0..100, two places
    passed: bool
    results: tuple[QuestionResult, ...]  # in the quiz's own order

    @property
    def correct_count(self) -> int:
        return sum(result.correct for result in self.results)


def grade(quiz: Quiz, answers: Mapping[str, Answer]) -> Grade:
    """Grade an answer sheet (question id -> answer) against the quiz."""
    unknown = sorted(set(answers) - {question.id for question in quiz.questions})
    if unknown:
        raise InvalidQuizError(f"This quiz asks no question {', '.join(unknown)}")
    results = tuple(
        QuestionResult(q.id, q.id in answers and is_right(q, answers[q.id])) for q in quiz.questions
    )
    right, asked = sum(r.correct for r in results), len(results)
    return Grade(round(100 * right / asked, 2), 100 * right >= quiz.pass_mark * asked, results)


def is_right(question: Question, answer: Answer) -> bool:
    if question.kind in CHOICES:
        return answer.option_ids == question.correct_option_ids
    if question.kind is QuestionKind.NUMERIC:
        assert question.answer is not None  # a numeric question always has one (Question)
        return answer.number is not None and abs(answer.number - question.answer) <= (
            question.tolerance
        )
    accepted = {normalized(text) for text in question.accepted_answers}
    return answer.text is not None and normalized(answer.text) in accepted


def shuffled(ids: Sequence[str], seed: str) -> list[str]:
    """``ids`` in the order drawn from ``seed``; the same seed always draws the same order
    (a string seed is hashed with SHA-512, whatever the process's hash seed)."""
    order = list(ids)
    random.Random(seed).shuffle(order)
    return order


def attempt_seed(learner_id: str, lesson_id: str, attempt: int) -> str:
    return f"campus:quiz:{learner_id}:{lesson_id}:{attempt}"
