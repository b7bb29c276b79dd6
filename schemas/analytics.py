"""Requests and responses of the analytics endpoints (spec §6 Analytics Service).

Amounts are in major units (naira, not kobo), each beside its currency; a course that took
money in two currencies over a range has two revenue lines. Dates are ISO days (YYYY-MM-DD).
docs/analytics.md defines every figure.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints

from schemas.base import CamelModel, Moment

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ReportType = Literal["coursePopularity", "userProgress", "revenue"]
Role = Literal["student", "instructor", "admin"]
Category = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


def iso_day(value: object) -> object:
    # Only YYYY-MM-DD: pydantic alone would also take timestamps and datetimes for a date.
    if isinstance(value, str):
        if not ISO_DAY.match(value):
            raise ValueError("must be a date as YYYY-MM-DD")
        return date.fromisoformat(value)
    return value


IsoDate = Annotated[date, BeforeValidator(iso_day)]


class MoneyView(CamelModel):
    amount: float
    currency: str


class CourseAnalyticsView(CamelModel):
    course_id: str
    title: str
    category: str
    enrollments: int
    completions: int
    popularity: float  # enrollments over the most-enrolled course's, in the range (0..1)
    average_rating: float | None  # null while nobody has rated the course
    ratings: int
    coupon_usage: int
    revenue: list[MoneyView]


class CourseAnalyticsPage(CamelModel):
    courses: list[CourseAnalyticsView]
    total_enrollments: int
    start_date: date
    end_date: date


class UserAnalyticsView(CamelModel):
    user_id: str
    name: str
    role: str
    enrollments: int
    completions: int
    certificates: int
    progress: float  # 0..1, averaged over the user's enrollments


class UserAnalyticsPage(CamelModel):
    users: list[UserAnalyticsView]
    total_users: int
    page: int
    page_size: int
    start_date: date
    end_date: date


class ProgressBucketView(CamelModel):
    label: str
    users: int


class RevenueLineView(CamelModel):
    """Money in and out: per day, per course, per day and course, or in total (by currency)."""

    day: date | None = None
    course_id: str | None = None
    title: str | None = None
    currency: str
    payments: float
    refunds: float
    revenue: float  # payments minus refunds
    coupon_payments: int


class QuestionDifficultyView(CamelModel):
    """How often a quiz question was answered right over the range: its difficulty."""

    course_id: str
    title: str
    lesson_id: str
    question_id: str
    answers: int  # graded attempts that asked it
    correct: int
    share_correct: float  # correct over answers, 0..1


class CoursePopularityDataView(CamelModel):
    courses: list[CourseAnalyticsView]
    total_enrollments: int
    # Hardest first; reports generated before quizzes were graded have none.
    quiz_questions: list[QuestionDifficultyView] = Field(default_factory=list)


class UserProgressDataView(CamelModel):
    users: list[UserAnalyticsView]
    total_users: int
    distribution: list[ProgressBucketView]


class RevenueDataView(CamelModel):
    items: list[RevenueLineView]  # one per day, course and currency with money moving
    days: list[RevenueLineView]
    courses: list[RevenueLineView]
    totals: list[RevenueLineView]


ReportData = CoursePopularityDataView | UserProgressDataView | RevenueDataView
DATA_OF: dict[str, type[ReportData]] = {
    "coursePopularity": CoursePopularityDataView,
    "userProgress": UserProgressDataView,
    "revenue": RevenueDataView,
}
"""Report type -> the model of its figures."""


class ReportParameters(CamelModel):
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    category: Category | None = None  # coursePopularity only
    role: Role | None = None  # userProgress only


class ReportRequest(CamelModel):
    type: Annotated[str, StringConstraints(max_length=64)]
    parameters: ReportParameters = ReportParameters()


class ReportCreatedResponse(CamelModel):
    report_id: str
    report_url: str
    type: str
    message: str


class ReportView(CamelModel):
    """A generated report as stored: what was asked, when, and the figures it holds."""

    report_id: str
    type: ReportType
    parameters: ReportParameters
    generated_at: Moment
    data: ReportData
