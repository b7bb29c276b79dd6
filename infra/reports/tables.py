"""What each report shows as tables: the columns, their headers and how each value is written.

The CSV and the PDF read the same definitions, so both hold the same numbers. The CSV is one
table at the report's finest grain; the PDF may show a few (revenue by day and by course).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic.alias_generators import to_camel

from schemas.analytics import (
    CoursePopularityDataView,
    ReportView,
    RevenueDataView,
    UserProgressDataView,
)

Kind = Literal["text", "count", "decimal"]  # text is free text, guarded in a CSV


@dataclass(frozen=True)
class Column:
    attribute: str
    label: str  # the PDF's header; the CSV's is the API's field name
    kind: Kind = "count"
    width: float = 1.3  # a share of the PDF page's width, relative to the other columns

    @property
    def key(self) -> str:
        return to_camel(self.attribute)

    def cell(self, item: Any) -> str:
        value = getattr(item, self.attribute)
        if value is None:
            return ""
        return f"{value:.2f}" if self.kind == "decimal" else str(value)


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[Column]
    items: Sequence[Any]

    def rows(self) -> list[list[str]]:
        return [[column.cell(item) for column in self.columns] for item in self.items]


COURSES = (
    Column("course_id", "Course id", "text", 4.4),
    Column("title", "Title", "text", 3.2),
    Column("category", "Category", "text", 1.6),
    Column("enrollments", "Enrollments"),
    Column("completions", "Completions"),
    Column("popularity", "Popularity", "decimal"),
    Column("average_rating", "Avg rating", "decimal"),
    Column("ratings", "Ratings"),
    Column("coupon_usage", "Coupon uses"),
)
USERS = (
    Column("user_id", "User id", "text", 4.4),
    Column("name", "Name", "text", 3),
    Column("role", "Role", "text"),
    Column("enrollments", "Enrollments"),
    Column("completions", "Completions"),
    Column("certificates", "Certificates"),
    Column("progress", "Progress", "decimal"),
)
QUESTIONS = (
    Column("title", "Course", "text", 3.2),
    Column("lesson_id", "Lesson id", "text", 2.6),
    Column("question_id", "Question id", "text", 2.6),
    Column("answers", "Answers"),
    Column("correct", "Right"),
    Column("share_correct", "Share right", "decimal"),
)
BUCKETS = (Column("label", "Progress", "text", 2), Column("users", "Users"))
MONEY = (
    Column("currency", "Currency", "text"),
    Column("payments", "Payments", "decimal"),
    Column("refunds", "Refunds", "decimal"),
    Column("revenue", "Revenue", "decimal"),
    Column("coupon_payments", "Coupon payments"),
)
DAY = (Column("day", "Day", "text", 1.3),)
COURSE = (Column("course_id", "Course id", "text", 4.4), Column("title", "Title", "text", 3.2))


def sections(report: ReportView) -> list[Table]:
    """The PDF's tables, in order."""
    data = report.data
    if isinstance(data, CoursePopularityDataView):
        return [
            Table("Courses", COURSES, data.courses),
            Table("Quiz questions, hardest first", QUESTIONS, data.quiz_questions),
        ]
    if isinstance(data, UserProgressDataView):
        return [
            Table("Progress distribution", BUCKETS, data.distribution),
            Table("Users", USERS, data.users),
        ]
    assert isinstance(data, RevenueDataView)
    return [
        Table("Totals", MONEY, data.totals),
        Table("Revenue per day", DAY + MONEY, data.days),
        Table("Revenue per course", COURSE + MONEY, data.courses),
    ]


def csv_table(report: ReportView) -> Table:
    """The CSV's one table: a row per course, per user, or per day and course."""
    data = report.data
    if isinstance(data, CoursePopularityDataView):
        return Table("Courses", COURSES, data.courses)
    if isinstance(data, UserProgressDataView):
        return Table("Users", USERS, data.users)
    assert isinstance(data, RevenueDataView)
    return Table("Revenue", DAY + COURSE + MONEY, data.items)
