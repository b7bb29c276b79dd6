"""Requests and responses of graded quizzes: the author's definition, the learner's view of it
(no answers), an attempt and its grade."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from schemas.base import CamelModel
from schemas.courses import UnlockedByView
from schemas.learning_views import QuestionResultView

QuestionKind = Literal["SINGLE_CHOICE", "MULTIPLE_CHOICE", "NUMERIC", "SHORT_TEXT"]
ItemId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]
Prompt = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5_000)]
OptionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1_000)
]
ShortText = Annotated[str, StringConstraints(max_length=500)]
# Bounded so that a float keeps every unit of it, and every store holds it.
Number = Annotated[float, Field(ge=-1e12, le=1e12, allow_inf_nan=False)]
Tolerance = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100)]


class OptionDefinition(CamelModel):
    id: ItemId | None = Field(None, description="kept across edits; made up when left out")
    text: OptionText
    correct: bool = False


class QuestionDefinition(CamelModel):
    id: ItemId | None = Field(None, description="kept across edits; made up when left out")
    kind: QuestionKind
    prompt: Prompt
    options: list[OptionDefinition] = Field(
        default_factory=list, max_length=20, description="choice questions: 2-20"
    )
    answer: Number | None = Field(None, description="NUMERIC: the right number")
    tolerance: Tolerance = Field(0, description="NUMERIC: how far from it is still right")
    accepted_answers: list[ShortText] = Field(
        default_factory=list,
        max_length=50,
        description="SHORT_TEXT: the answers counted right (case and spacing ignored)",
    )


class QuizDefinition(CamelModel):
    questions: list[QuestionDefinition] = Field(min_length=1, max_length=200)
    pass_mark: Percent = Field(description="the percentage of questions right that passes")
    max_attempts: Annotated[int, Field(ge=1, le=100)] | None = Field(
        None, description="attempts each learner gets; null: no limit"
    )
    shuffle: bool = Field(False, description="questions and options in another order per attempt")


# The author's body; QuizDefinition stays the plain base that QuizSavedResponse shares. No
# docstring: it would become a description in the published contract.
class QuizDefinitionRequest(QuizDefinition):
    pass


class QuizSavedResponse(QuizDefinition):
    """The quiz as saved, every question and option with its id."""

    course_id: str
    module_id: str
    lesson_id: str
    message: str


class OptionView(CamelModel):
    id: str
    text: str


class QuestionView(CamelModel):
    id: str
    kind: QuestionKind
    prompt: str
    options: list[OptionView]  # choice questions; in this attempt's order when shuffled


class AttemptView(CamelModel):
    attempt: int
    score: float
    passed: bool
    attempted_at: str
    results: list[QuestionResultView]


class QuizView(CamelModel):
    """A quiz as its learner takes it: the questions without their answers."""

    course_id: str
    module_id: str
    lesson_id: str
    pass_mark: float
    max_attempts: int | None
    shuffle: bool
    attempt: int = Field(description="the number of the attempt these questions are for")
    attempts_used: int
    attempts_left: int | None  # null: no limit
    best_score: float | None  # null before a first attempt
    passed: bool
    locked: bool = False
    unlocked_by: UnlockedByView = Field(default_factory=UnlockedByView)
    questions: list[QuestionView]
    attempts: list[AttemptView] = Field(default_factory=list)  # oldest first


class AnswerGivenRequest(CamelModel):
    question_id: ItemId
    option_ids: list[ItemId] = Field(
        default_factory=list, max_length=20, description="choice questions: the options picked"
    )
    number: Number | None = Field(None, description="NUMERIC")
    text: ShortText | None = Field(None, description="SHORT_TEXT")


class QuizAttemptRequest(CamelModel):
    answers: list[AnswerGivenRequest] = Field(max_length=200)
    device: Literal["web", "ios", "android", "other", "unknown"] = "unknown"


class CorrectAnswerResponse(CamelModel):
    option_ids: list[str] | None = None
    number: float | None = None
    tolerance: float | None = None
    accepted_answers: list[str] | None = None


class GradedQuestionResponse(CamelModel):
    question_id: str
    correct: bool
    correct_answer: CorrectAnswerResponse | None = Field(
        None, description="shown once the quiz is passed or no attempts are left"
    )


class QuizGradedResponse(CamelModel):
    course_id: str
    lesson_id: str
    attempt: int | None  # null for a preview by the course's instructor or an admin
    score: float
    passed: bool
    pass_mark: float
    results: list[GradedQuestionResponse]
    attempts_used: int | None
    attempts_left: int | None  # null: no limit, or a preview
    best_score: float | None
    lesson_completed: bool
    course_progress: float | None
    status: str | None  # the enrollment's
    preview: bool
    message: str
