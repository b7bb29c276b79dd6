"""Answers of the learner's reads: enrollments (spec §8), progress (§7) and the dashboard (§11).

Progress shares are 0..1, times are seconds and moments ISO-8601 UTC. A resume point is the
lesson last *visited*, with the playback offset it was left at.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.base import CamelModel
from schemas.courses import UnlockedByView

# The enrollment states as the API names them (domain.learning.enrollment_terms.Status).
EnrollmentStatus = Literal["in_progress", "completed", "dropped"]


class EnrollmentView(CamelModel):
    enrollment_id: str
    user_id: str
    course_id: str
    course_title: str | None  # null only while the catalog has not caught up
    enrollment_date: str
    status: EnrollmentStatus
    progress: float
    current_module_id: str | None
    current_lesson_id: str | None
    payment_id: str | None
    source: str  # payment, free or grant
    completed_at: str | None
    rating: int | None  # the learner's own stars for the course


class EnrollmentPage(CamelModel):
    enrollments: list[EnrollmentView]
    page: int
    page_size: int
    total: int


class LessonProgressView(CamelModel):
    progress_id: str
    module_id: str
    lesson_id: str
    progress: float  # the best share of the lesson reached
    time_spent: int
    position_seconds: int
    last_accessed: str
    device: str | None  # of the latest session: web, ios, android, other or unknown


class LessonUnlockingView(CamelModel):
    lesson_id: str
    completed: bool
    locked: bool
    unlocked_by: UnlockedByView


class ModuleUnlockingView(CamelModel):
    module_id: str
    locked: bool
    unlocked_by: UnlockedByView
    lessons: list[LessonUnlockingView]  # the published ones, in order


class QuestionResultView(CamelModel):
    question_id: str
    correct: bool


class QuizProgressView(CamelModel):
    """A learner's attempts at one lesson's quiz."""

    enrollment_id: str
    course_id: str
    module_id: str
    lesson_id: str
    attempts: int
    best_score: float  # percent of the questions right, 0..100
    passed: bool
    last_attempted_at: str
    results: list[QuestionResultView]  # of the latest attempt, in the quiz's order


class ProgressView(CamelModel):
    """The spec's progress record for the lesson last visited, with the course's totals."""

    progress_id: str
    enrollment_id: str
    module_id: str
    lesson_id: str
    progress: float
    course_progress: float
    last_accessed: str
    time_spent: int  # over the whole course
    position_seconds: int  # where to resume the lesson
    device: str | None  # where the lesson was last studied
    lessons: list[LessonProgressView]  # most recently opened first
    # The course's published modules and lessons in order: which are locked for the learner
    # and what unlocks them (the course's instructor and admins are never locked).
    outline: list[ModuleUnlockingView] = Field(default_factory=list)
    quizzes: list[QuizProgressView] = Field(default_factory=list)  # the quizzes attempted


class ResumePointView(CamelModel):
    module_id: str
    lesson_id: str
    position_seconds: int
    last_accessed: str


class ActiveCourseView(CamelModel):
    enrollment_id: str
    course_id: str
    title: str | None
    progress: float
    resume: ResumePointView | None  # null until a first lesson is opened


class CompletedCourseView(CamelModel):
    enrollment_id: str
    course_id: str
    title: str | None
    completed_at: str | None


class ActivityView(CamelModel):
    enrollment_id: str
    course_id: str
    title: str | None
    module_id: str
    lesson_id: str
    progress: float
    time_spent: int
    last_accessed: str


class DashboardView(CamelModel):
    active_courses: list[ActiveCourseView]  # most recently studied first
    completed_courses: list[CompletedCourseView]  # most recently completed first
    certificate_count: int  # valid certificates; revoked ones do not count
    total_time_spent: int
    recent_activity: list[ActivityView]  # the last lessons opened, newest first
    # The quizzes of courses under way or completed, most recently attempted first.
    quizzes: list[QuizProgressView] = Field(default_factory=list)
