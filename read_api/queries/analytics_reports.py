"""The figures of a report (spec "Analytics Reports"): course popularity (with how hard each
quiz question was), learner progress, or revenue, over a date range. Each type reuses the
figures the analytics endpoints answer, so a report and the endpoint asked for the same range
agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from domain.errors import InvalidInputError
from infra.analytics.store import AnalyticsStore
from read_api.queries.analytics import Period, course_analytics, major
from read_api.queries.analytics_quizzes import question_difficulty
from read_api.queries.analytics_users import EVERYONE, user_rows
from schemas.analytics import (
    CoursePopularityDataView,
    ProgressBucketView,
    ReportData,
    ReportParameters,
    RevenueDataView,
    RevenueLineView,
    UserAnalyticsView,
    UserProgressDataView,
)

# (label, lowest progress in the bucket); a learner falls in the last bucket they reach.
PROGRESS_BUCKETS = (("0-24%", 0.0), ("25-49%", 0.25), ("50-74%", 0.5), ("75-99%", 0.75))
PROGRESS_BUCKETS += (("100%", 1.0),)

REVENUE = """
    SELECT day, course_id, currency,
           sumIf(amount, fact = 'payment') AS payments,
           sumIf(amount, fact = 'refund') AS refunds,
           countIf(fact = 'payment' AND code != '') AS coupon_payments
    FROM analytics_facts FINAL
    WHERE day BETWEEN {start:Date} AND {end:Date} AND fact IN ('payment', 'refund')
    GROUP BY day, course_id, currency
    ORDER BY day, course_id, currency
"""
MEASURES = ("payments", "refunds", "coupon_payments")
TITLES = "SELECT course_id, title FROM analytics_courses FINAL"


Compute = Callable[[AnalyticsStore, Period, ReportParameters], ReportData]


class InvalidReportTypeError(InvalidInputError):
    """The report type asked for is not one this service generates."""

    message = "Invalid report type"


def computation(kind: str) -> Compute:
    """What computes a report of ``kind``."""
    if kind not in REPORTS:
        raise InvalidReportTypeError
    return REPORTS[kind]


def course_popularity(
    store: AnalyticsStore, period: Period, parameters: ReportParameters
) -> CoursePopularityDataView:
    page = course_analytics(store, period, parameters.category)
    return CoursePopularityDataView(
        courses=page.courses,
        total_enrollments=page.total_enrollments,
        quiz_questions=question_difficulty(store, period, parameters.category),
    )


def user_progress(
    store: AnalyticsStore, period: Period, parameters: ReportParameters
) -> UserProgressDataView:
    users = user_rows(store, period, parameters.role, EVERYONE)
    return UserProgressDataView(
        users=users, total_users=len(users), distribution=distribution(users)
    )


def distribution(users: list[UserAnalyticsView]) -> list[ProgressBucketView]:
    counts = dict.fromkeys((label for label, _ in PROGRESS_BUCKETS), 0)
    for user in users:
        counts[bucket_of(user.progress)] += 1
    return [ProgressBucketView(label=label, users=count) for label, count in counts.items()]


def bucket_of(progress: float) -> str:
    return next(label for label, low in reversed(PROGRESS_BUCKETS) if progress >= low)


def revenue(store: AnalyticsStore, period: Period, _: ReportParameters) -> RevenueDataView:
    rows = store.query(REVENUE, period.bounds())
    titles = {row["course_id"]: row["title"] for row in store.query(TITLES)}
    return RevenueDataView(
        items=lines(rows, ("day", "course_id"), titles),
        days=lines(rows, ("day",), titles),
        courses=lines(rows, ("course_id",), titles),
        totals=lines(rows, (), titles),
    )


def lines(
    rows: list[dict[str, Any]], by: tuple[str, ...], titles: dict[str, str]
) -> list[RevenueLineView]:
    """The rows added up by ``by`` and currency, in minor units so no cent is lost."""
    sums: dict[tuple[str, ...], Counter[str]] = {}
    for row in rows:
        key = (*(row[name] for name in by), row["currency"])
        sums.setdefault(key, Counter()).update({m: int(row[m]) for m in MEASURES})
    return [
        revenue_line(dict(zip((*by, "currency"), key, strict=True)), sums[key], titles)
        for key in sorted(sums)
    ]


def revenue_line(
    fields: dict[str, str], sums: Counter[str], titles: dict[str, str]
) -> RevenueLineView:
    title = titles.get(fields["course_id"], "") if "course_id" in fields else None
    return RevenueLineView(
        **fields,
        title=title,
        payments=major(sums["payments"]),
        refunds=major(sums["refunds"]),
        revenue=major(sums["payments"] - sums["refunds"]),
        coupon_payments=sums["coupon_payments"],
    )


REPORTS: dict[str, Compute] = {
    "coursePopularity": course_popularity,
    "userProgress": user_progress,
    "revenue": revenue,
}
