"""Course and learner analytics over a date range, from the ClickHouse facts (spec §6).

A range is ``[start, end]``, both days included, by each fact's UTC ``day``. What a course or
user *did* in the range counts facts dated in it; what a course or user *is* at the end of the
range (its rating, a learner's progress) is the latest fact dated on or before ``end``.
docs/analytics.md gives every definition; the SQL runs unchanged on chDB and ClickHouse, and
reads facts with ``FINAL`` so a redelivered event never counts twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from domain.errors import InvalidInputError
from infra.analytics.store import AnalyticsStore
from schemas.analytics import CourseAnalyticsPage, CourseAnalyticsView, MoneyView

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def of(cls, start: date | None, end: date | None, today: date) -> Period:
        """The range asked for; by default the 30 days up to and including today."""
        end = end or max(today, start or today)  # a future start alone is not "backwards"
        start = start or end - timedelta(days=DEFAULT_DAYS - 1)
        if end < start:
            raise InvalidInputError("endDate must not be before startDate")
        return cls(start, end)

    def bounds(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def period(start: date | None, end: date | None) -> Period:
    """The range asked for, today being the UTC day (as the facts' days are)."""
    return Period.of(start, end, datetime.now(UTC).date())


COURSES = """
    SELECT course_id, title, category FROM analytics_courses FINAL
    WHERE {category:String} = '' OR lower(category) = lower({category:String})
"""
COURSE_ACTIVITY = """
    SELECT course_id,
           countIf(fact = 'enrollment') AS enrollments,
           countIf(fact = 'completion') AS completions,
           countIf(fact = 'payment' AND code != '') AS coupon_usage
    FROM analytics_facts FINAL
    WHERE day BETWEEN {start:Date} AND {end:Date}
      AND fact IN ('enrollment', 'completion', 'payment')
    GROUP BY course_id
"""
COURSE_REVENUE = """
    SELECT course_id, currency,
           sumIf(amount, fact = 'payment') - sumIf(amount, fact = 'refund') AS net
    FROM analytics_facts FINAL
    WHERE day BETWEEN {start:Date} AND {end:Date} AND fact IN ('payment', 'refund')
    GROUP BY course_id, currency
    ORDER BY course_id, currency
"""
# A learner's rating is their latest; ratings given before the range still stand in it.
COURSE_RATINGS = """
    SELECT course_id, avg(stars) AS average, count() AS ratings
    FROM (
        SELECT course_id, user_id, argMax(value, (at, position)) AS stars
        FROM analytics_facts FINAL
        WHERE fact = 'rating' AND day <= {end:Date}
        GROUP BY course_id, user_id
    )
    GROUP BY course_id
"""


def course_analytics(
    store: AnalyticsStore, period: Period, category: str | None = None
) -> CourseAnalyticsPage:
    """Every known course (of ``category``, case-insensitive), most enrolled first."""
    bounds = period.bounds()
    activity = by_course(store.query(COURSE_ACTIVITY, bounds))
    ratings = by_course(store.query(COURSE_RATINGS, bounds))
    revenue = revenue_by_course(store.query(COURSE_REVENUE, bounds))
    # Popularity compares with every course, so a category filter does not inflate it.
    top = max((int(row["enrollments"]) for row in activity.values()), default=0)
    courses = (
        course_of(row, activity.get(row["course_id"], {}), ratings.get(row["course_id"], {}), top)
        | {"revenue": revenue.get(row["course_id"], [])}
        for row in store.query(COURSES, {"category": category or ""})
    )
    listed = sorted(
        (CourseAnalyticsView(**course) for course in courses),
        key=lambda c: (-c.enrollments, c.title, c.course_id),
    )
    return CourseAnalyticsPage(
        courses=listed,
        total_enrollments=sum(course.enrollments for course in listed),
        start_date=period.start,
        end_date=period.end,
    )


def by_course(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["course_id"]: row for row in rows}


def course_of(
    course: dict[str, Any], activity: dict[str, Any], rating: dict[str, Any], top: int
) -> dict[str, Any]:
    """A course's counts; no activity row means none in the range, no rating row no ratings."""
    enrollments = int(activity.get("enrollments", 0))
    rated = int(rating.get("ratings", 0))
    return {
        "course_id": course["course_id"],
        "title": course["title"],
        "category": course["category"],
        "enrollments": enrollments,
        "completions": int(activity.get("completions", 0)),
        "popularity": round(enrollments / top, 2) if top else 0.0,
        "average_rating": round(float(rating["average"]), 2) if rated else None,
        "ratings": rated,
        "coupon_usage": int(activity.get("coupon_usage", 0)),
    }


def revenue_by_course(rows: list[dict[str, Any]]) -> dict[str, list[MoneyView]]:
    revenue: dict[str, list[MoneyView]] = {}
    for row in rows:
        revenue.setdefault(row["course_id"], []).append(
            MoneyView(amount=major(row["net"]), currency=row["currency"])
        )
    return revenue


def major(minor_units: Any) -> float:
    """Kobo to naira (any currency's minor to major unit), exact to the two decimals shown."""
    return round(int(minor_units) / 100, 2)
