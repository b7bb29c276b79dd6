"""Learner analytics over a date range, a page at a time, from the ClickHouse facts (spec §6).

Listed: every user registered by the end of the range (of one role, if asked), oldest first.
Enrollments, completions and certificates count the user's facts dated in the range; progress
is, at the end of the range, the average over every course they had enrolled in by then of
their latest course progress (0 for a course not yet studied). docs/analytics.md has more.
"""

from __future__ import annotations

from typing import Any

from infra.analytics.store import AnalyticsStore
from read_api.queries.analytics import Period
from schemas.analytics import UserAnalyticsPage, UserAnalyticsView

EVERYONE = 2**32 - 1  # a LIMIT that lists every user: ClickHouse takes no "LIMIT ALL"

LISTED = """
    FROM analytics_users FINAL
    WHERE toDate(registered_at) <= {end:Date} AND ({role:String} = '' OR role = {role:String})
"""
PAGE = f"""
    SELECT user_id, name, role, registered_at {LISTED}
    ORDER BY registered_at, user_id
    LIMIT {{limit:UInt32}} OFFSET {{offset:UInt32}}
"""
# One query, so the page and its figures come from the same reading of the tables.
USERS = f"""
    SELECT u.user_id AS user_id, u.name AS name, u.role AS role,
           ifNull(a.enrollments, 0) AS enrollments,
           ifNull(a.completions, 0) AS completions,
           ifNull(a.certificates, 0) AS certificates,
           ifNull(p.progress, 0) AS progress
    FROM ({PAGE}) AS u
    LEFT JOIN (
        SELECT user_id,
               countIf(fact = 'enrollment') AS enrollments,
               countIf(fact = 'completion') AS completions,
               countIf(fact = 'certificate') AS certificates
        FROM analytics_facts FINAL
        WHERE day BETWEEN {{start:Date}} AND {{end:Date}}
          AND fact IN ('enrollment', 'completion', 'certificate')
          AND user_id IN (SELECT user_id FROM ({PAGE}))
        GROUP BY user_id
    ) AS a ON a.user_id = u.user_id
    LEFT JOIN (
        SELECT user_id, avg(latest) AS progress
        FROM (
            SELECT user_id, course_id,
                   argMaxIf(value, (at, position), fact = 'progress') AS latest,
                   countIf(fact = 'enrollment') AS enrolled
            FROM analytics_facts FINAL
            WHERE day <= {{end:Date}} AND fact IN ('enrollment', 'progress')
              AND user_id IN (SELECT user_id FROM ({PAGE}))
            GROUP BY user_id, course_id
        )
        WHERE enrolled > 0
        GROUP BY user_id
    ) AS p ON p.user_id = u.user_id
    ORDER BY u.registered_at, u.user_id
"""
COUNT = f"SELECT count() AS total {LISTED}"


def user_analytics(
    store: AnalyticsStore, period: Period, role: str | None, page: int, page_size: int
) -> UserAnalyticsPage:
    """One page of users with their figures for the range, and how many users are listed."""
    filters = period.bounds() | {"role": role or ""}
    total = int(store.query(COUNT, filters)[0]["total"])
    return UserAnalyticsPage(
        users=user_rows(store, period, role, page_size, (page - 1) * page_size),
        total_users=total,
        page=page,
        page_size=page_size,
        start_date=period.start,
        end_date=period.end,
    )


def user_rows(
    store: AnalyticsStore, period: Period, role: str | None, limit: int, offset: int = 0
) -> list[UserAnalyticsView]:
    parameters = period.bounds() | {"role": role or "", "limit": limit, "offset": offset}
    return [user_of(row) for row in store.query(USERS, parameters)]


def user_of(row: dict[str, Any]) -> UserAnalyticsView:
    return UserAnalyticsView(
        user_id=row["user_id"],
        name=row["name"],
        role=row["role"],
        enrollments=int(row["enrollments"]),
        completions=int(row["completions"]),
        certificates=int(row["certificates"]),
        progress=round(float(row["progress"]), 2),
    )
