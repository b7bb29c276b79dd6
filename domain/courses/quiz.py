"""A graded quiz: the questions a QUIZ lesson asks, what passes it and how often it may be tried.

Four kinds of question: one choice among options (exactly one correct), several choices (at
least one correct; an answer is right when it picks exactly the correct ones), a number (right
within a tolerance of the answer) and a short text (right when it is one of the accepted
answers, ignoring case and spacing). Every question weighs the same; the pass mark is the share
of questions right, in percent. A quiz is checked whole when it is made: a quiz learners could
not pass, or one that could not be graded, is refused before it becomes an event.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from domain.errors import ForbiddenError, InvalidInputError, NotFoundError

MAX_QUESTIONS = 200
MAX_OPTIONS = 20
MAX_ATTEMPTS = 100
MAX_NUMBER = 1e12  # a numeric answer or tolerance; beyond it a float stops counting units


class NotEnrolledInCourseError(ForbiddenError):
    message = "Only learners enrolled in this course take its quizzes"


class QuestionKind(StrEnum):
    SINGLE_CHOICE = "SINGLE_CHOICE"
    MULTIPLE_CHOICE = "MULTIPLE_CHOICE"
    NUMERIC = "NUMERIC"
    SHORT_TEXT = "SHORT_TEXT"


CHOICES = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


class InvalidQuizError(InvalidInputError):
    """A quiz that cannot be graded or passed: no questions, no correct option, a negative
    tolerance, duplicate ids."""

    message = "Invalid quiz"


class QuizNotFoundError(NotFoundError):
    """The lesson holds no quiz (or is not a lesson the caller may see)."""

    message = "Quiz not found"


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool = False


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    prompt: str
    options: tuple[Option, ...] = ()
    answer: float | None = None  # NUMERIC
    tolerance: float = 0.0  # NUMERIC: how far from the answer still counts as right
    accepted_answers: tuple[str, ...] = ()  # SHORT_TEXT

    def __post_init__(self) -> None:
        if not self.id or not self.prompt.strip():
            raise InvalidQuizError("Every question needs an id and a prompt")
        if self.kind in CHOICES:
            self.check_choices()
        elif self.kind is QuestionKind.NUMERIC:
            self.check_number()
        elif not self.accepted_answers or not all(map(normalized, self.accepted_answers)):
            raise InvalidQuizError(f"Question {self.id}: give one or more non-blank answers")

    def check_choices(self) -> None:
        ids = [option.id for option in self.options]
        if not 2 <= len(ids) <= MAX_OPTIONS or len(set(ids)) != len(ids) or not all(ids):
            raise InvalidQuizError(
                f"Question {self.id}: give 2-{MAX_OPTIONS} options with distinct ids"
            )
        if any(not option.text.strip() for option in self.options):
            raise InvalidQuizError(f"Question {self.id}: every option needs a text")
        right = len(self.correct_option_ids)
        if self.kind is QuestionKind.SINGLE_CHOICE and right != 1:
            raise InvalidQuizError(f"Question {self.id}: mark exactly one option correct")
        if right == 0:
            raise InvalidQuizError(f"Question {self.id}: mark at least one option correct")

    def check_number(self) -> None:
        if self.answer is None or not finite(self.answer):
            raise InvalidQuizError(f"Question {self.id}: a numeric question needs its answer")
        if not finite(self.tolerance) or self.tolerance < 0:
            raise InvalidQuizError(f"Question {self.id}: the tolerance must be 0 or more")

    @property
    def correct_option_ids(self) -> frozenset[str]:
        return frozenset(option.id for option in self.options if option.correct)


@dataclass(frozen=True)
class Quiz:
    questions: tuple[Question, ...]
    pass_mark: float = 100.0  # percent of the questions right
    max_attempts: int | None = None  # None: as many as the learner likes
    shuffle: bool = False  # questions and options in another order for each attempt

    def __post_init__(self) -> None:
        ids = [question.id for question in self.questions]
        if not 1 <= len(ids) <= MAX_QUESTIONS or len(set(ids)) != len(ids):
            raise InvalidQuizError(f"A quiz asks 1-{MAX_QUESTIONS} questions with distinct ids")
        if not finite(self.pass_mark) or not 0 <= self.pass_mark <= 100:
            raise InvalidQuizError("passMark is a percentage, 0-100")
        if self.max_attempts is not None and not 1 <= self.max_attempts <= MAX_ATTEMPTS:
            raise InvalidQuizError(f"maxAttempts must be 1-{MAX_ATTEMPTS}, or null for no limit")

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def attempts_left(self, used: int) -> int | None:
        return None if self.max_attempts is None else max(self.max_attempts - used, 0)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for an event (lists, not dicts keyed by id: published keys are camelCased)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quiz:
        return cls(
            questions=tuple(
                Question(
                    id=q["id"],
                    kind=QuestionKind(q["kind"]),
                    prompt=q["prompt"],
                    options=tuple(Option(**o) for o in q.get("options", ())),
                    answer=q.get("answer"),
                    tolerance=q.get("tolerance", 0.0),
                    accepted_answers=tuple(q.get("accepted_answers", ())),
                )
                for q in data["questions"]
            ),
            pass_mark=data["pass_mark"],
            max_attempts=data.get("max_attempts"),
            shuffle=data.get("shuffle", False),
        )


def finite(number: float) -> bool:
    return math.isfinite(number) and abs(number) <= MAX_NUMBER


def normalized(text: str) -> str:
    """A short answer as it is compared: case and spacing do not count."""
    return " ".join(text.split()).casefold()
