"""Report files: the PDF (charts and tables, readable back as text) and the CSV (a header row
and a row per item) hold the same numbers as the report's figures."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from infra.reports.csv import render_csv
from infra.reports.pdf import render_pdf
from schemas.analytics import (
    CourseAnalyticsView,
    CoursePopularityDataView,
    ProgressBucketView,
    QuestionDifficultyView,
    ReportData,
    ReportParameters,
    ReportView,
    RevenueDataView,
    RevenueLineView,
    UserAnalyticsView,
    UserProgressDataView,
)

JULY = ReportParameters(start_date=date(2025, 7, 1), end_date=date(2025, 7, 31))
PYTHON = CourseAnalyticsView(
    course_id="c-python",
    title="Données & <Python>",
    category="Programming",
    enrollments=4,
    completions=3,
    popularity=1.0,
    average_rating=4.67,
    ratings=3,
    coupon_usage=2,
    revenue=[],
)
DRAWING = PYTHON.model_copy(
    update={
        "course_id": "c-drawing",
        "title": "=HYPERLINK(1)",
        "category": "Art",
        "enrollments": 3,
        "popularity": 0.75,
        "average_rating": None,
        "ratings": 0,
    }
)
ADA = UserAnalyticsView(
    user_id="u-ada",
    name="Ada Lovelace",
    role="student",
    enrollments=2,
    completions=1,
    certificates=1,
    progress=0.63,
)
SALES = RevenueLineView(
    day=date(2025, 7, 3),
    course_id="c-python",
    title="Python",
    currency="NGN",
    payments=9000.5,
    refunds=12000.0,
    revenue=-2999.5,
    coupon_payments=1,
)


def report(kind: str, data: ReportData) -> ReportView:
    generated = datetime(2025, 8, 1, 9, 30, tzinfo=UTC)
    return ReportView(
        report_id="r-1", type=kind, parameters=JULY, generated_at=generated, data=data
    )


POPULARITY = report(
    "coursePopularity", CoursePopularityDataView(courses=[PYTHON, DRAWING], total_enrollments=7)
)
PROGRESS = report(
    "userProgress",
    UserProgressDataView(
        users=[ADA],
        total_users=1,
        distribution=[ProgressBucketView(label="50-74%", users=1)],
    ),
)
REVENUE = report(
    "revenue",
    RevenueDataView(
        items=[SALES],
        days=[SALES.model_copy(update={"course_id": None, "title": None})],
        courses=[SALES.model_copy(update={"day": None})],
        totals=[SALES.model_copy(update={"day": None, "course_id": None, "title": None})],
    ),
)


def text_of(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def rows_of(document: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(document.decode())))


@pytest.mark.parametrize(
    ("kept", "shown"),
    [
        (
            POPULARITY,
            [
                "Course popularity report",
                "c-python",
                "Données",
                "4.67",
                "0.75",
                "Total enrollments: 7",
            ],
        ),
        (PROGRESS, ["Learner progress report", "Users: 1", "Ada Lovelace", "0.63", "50-74%"]),
        (REVENUE, ["Revenue report", "2025-07-03", "9000.50", "12000.00", "-2999.50"]),
    ],
)
def test_the_pdf_shows_the_reports_numbers_as_text(kept: ReportView, shown: list[str]) -> None:
    text = text_of(render_pdf(kept))
    assert "2025-07-01 to 2025-07-31" in text
    for value in shown:
        assert value in text


def test_the_same_report_renders_to_the_same_pdf() -> None:
    assert render_pdf(POPULARITY) == render_pdf(POPULARITY)


def test_an_empty_report_still_renders() -> None:
    empty = report("revenue", RevenueDataView(items=[], days=[], courses=[], totals=[]))
    assert "Nothing in this range" in text_of(render_pdf(empty))


def test_the_csv_has_a_header_and_a_row_per_course() -> None:
    python, drawing = rows_of(render_csv(POPULARITY))
    assert python == {
        "courseId": "c-python",
        "title": "Données & <Python>",
        "category": "Programming",
        "enrollments": "4",
        "completions": "3",
        "popularity": "1.00",
        "averageRating": "4.67",
        "ratings": "3",
        "couponUsage": "2",
    }
    assert drawing["averageRating"] == ""


def test_the_csv_of_users_and_of_revenue() -> None:
    (ada,) = rows_of(render_csv(PROGRESS))
    assert (ada["userId"], ada["progress"], ada["certificates"]) == ("u-ada", "0.63", "1")
    (sales,) = rows_of(render_csv(REVENUE))
    assert sales == {
        "day": "2025-07-03",
        "courseId": "c-python",
        "title": "Python",
        "currency": "NGN",
        "payments": "9000.50",
        "refunds": "12000.00",
        "revenue": "-2999.50",  # a number, not text defused as a formula
        "couponPayments": "1",
    }


def test_text_a_spreadsheet_would_run_as_a_formula_is_defused() -> None:
    assert rows_of(render_csv(POPULARITY))[1]["title"] == "'=HYPERLINK(1)"


def test_the_course_report_shows_how_hard_each_quiz_question_was() -> None:
    hard = QuestionDifficultyView(
        course_id="c-python",
        title="Python",
        lesson_id="l-check",
        question_id="q-capital",
        answers=4,
        correct=1,
        share_correct=0.25,
    )
    data = CoursePopularityDataView(courses=[PYTHON], total_enrollments=4, quiz_questions=[hard])

    shown = text_of(render_pdf(report("coursePopularity", data)))

    assert "Quiz questions, hardest first" in shown
    assert "q-capital" in shown and "0.25" in shown
