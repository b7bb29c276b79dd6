"""Synthetic data for ``campus bench analytics``: one distribution, written in two dialects.

Enrollment ``e`` (0 ≤ e < E) is derived from ``e`` alone, by integer arithmetic that ClickHouse
and PostgreSQL compute exactly alike, so the facts loaded into chDB and the read-model rows
loaded into PostgreSQL describe the same enrollments and the two answers can be compared:

* its course is ``⌊C·(u/10⁶)²⌋``, ``u`` a multiplicative hash of ``e``: a few courses draw
  far more learners than the long tail, as in a real catalogue;
* its learner is another hash of ``e``, over E/4 learners;
* it happened at a moment spread evenly over 2025, in the order of ``e``.

Each enrollment yields ten facts an hour apart, as the analytics projector records them:
enrolled, paid, six lesson sessions, then a rating (one in four) and a completion (two in
five), otherwise two more sessions. PostgreSQL gets what the read models hold at the end of
the same history: one ``enrollments`` row per enrollment, and the ``courses`` rows.

The generators run inside each database (``numbers()``, ``generate_series()``): ten million
facts load in seconds, where going through commands and projectors would take hours.
"""

from __future__ import annotations

import json
from typing import Any

from chdb.session import Session
from sqlalchemy import Connection, text

FACTS_PER_ENROLLMENT = 10
START = 1_735_689_600  # 2025-01-01T00:00:00Z
SPAN = 365 * 86_400
HOUR = 3_600


def enrollments_for(events: int) -> int:
    return events // FACTS_PER_ENROLLMENT


def ids(kind: str, expr: str, dialect: str) -> str:
    """A UUID-shaped id made from a number: the same text in both databases."""
    prefix = f"'00000000-0000-4000-{kind}-'"
    if dialect == "clickhouse":
        return f"concat({prefix}, leftPad(lower(hex({expr})), 12, '0'))"
    return f"({prefix} || lpad(to_hex({expr}), 12, '0'))"


def derived(enrollments: int, courses: int, div: str) -> str:
    """Columns of enrollment ``e``: course, learner, moment (``div`` divides integers)."""
    u = "(e * 2654435761) % 4294967296 % 1000000"
    learners = max(1, enrollments // 4)
    return ", ".join(
        [
            div.format(f"({u}) * ({u}) * {courses}", "1000000000000") + " AS course",
            f"(e * 40503) % {learners} AS learner",
            f"{START} + " + div.format(f"e * {SPAN}", str(enrollments)) + " AS moment",
        ]
    )


def chdb_statements(events: int, courses: int) -> list[str]:
    """INSERTs into ``analytics_courses`` and ``analytics_facts`` (ClickHouse SQL)."""
    e = enrollments_for(events)
    return [
        f"""INSERT INTO analytics_courses
            (course_id, title, category, instructor_id, price, currency, version)
        SELECT {ids("8000", "number", "clickhouse")}, concat('Course ', toString(number)),
            concat('Category ', toString(number % 12)), {ids("c000", "number % 97", "clickhouse")},
            (1 + number % 20) * 100000, 'NGN', 1
        FROM numbers({courses})""",
        f"""INSERT INTO analytics_facts (application, position, fact, at, day, course_id,
            user_id, amount, currency, value, code)
        SELECT if(fact = 'payment', 'commerce', 'learning'), number, fact,
            toDateTime64(moment + slot * {HOUR}, 6, 'UTC') AS at, toDate(at),
            {ids("8000", "course", "clickhouse")}, {ids("9000", "learner", "clickhouse")},
            multiIf(fact = 'payment', (1 + course % 20) * 100000, fact = 'progress', 600,
                    fact = 'rating', stars, 0),
            'NGN', multiIf(fact = 'progress', (slot - 1) / 8, fact = 'rating', stars, 0), ''
        FROM (
            SELECT number, intDiv(number, {FACTS_PER_ENROLLMENT}) AS e,
                number % {FACTS_PER_ENROLLMENT} AS slot, {derived(e, courses, "intDiv({}, {})")},
                1 + intDiv(e, 4) % 5 AS stars,
                multiIf(slot = 0, 'enrollment', slot = 1, 'payment',
                        slot = 8 AND e % 4 = 0, 'rating', slot = 9 AND e % 5 < 2, 'completion',
                        'progress') AS fact
            FROM numbers({e * FACTS_PER_ENROLLMENT})
        )""",
    ]


def postgres_statements(events: int, courses: int) -> list[str]:
    """INSERTs into the ``courses`` and ``enrollments`` read models (PostgreSQL SQL)."""
    e = enrollments_for(events)
    ended = f"to_timestamp(moment + {(FACTS_PER_ENROLLMENT - 1) * HOUR})"
    return [
        f"""INSERT INTO courses (id, instructor_id, title, description, category, difficulty,
            duration_minutes, price, currency, status, module_count, rating_count, structure,
            created_at, updated_at, version)
        SELECT {ids("8000", "n", "postgres")}, {ids("c000", "n % 97", "postgres")},
            'Course ' || n, '', 'Category ' || n % 12, 'Beginner', 60, (1 + n % 20) * 100000,
            'NGN', 'published', 3, 0, '{{}}', to_timestamp({START}), to_timestamp({START}), 1
        FROM generate_series(0::bigint, {courses - 1}) AS n""",
        f"""INSERT INTO enrollments (enrollment_id, user_id, course_id, source, payment_id,
            status, progress, position_seconds, time_spent, last_accessed, enrolled_at,
            completed_at, rating, version)
        SELECT {ids("a000", "e", "postgres")}, {ids("9000", "learner", "postgres")},
            {ids("8000", "course", "postgres")}, 'payment', {ids("b000", "e", "postgres")},
            CASE WHEN completed THEN 'completed' ELSE 'in_progress' END,
            CASE WHEN completed THEN 1.0 ELSE 0.75 END, 0,
            CASE WHEN completed THEN 8 ELSE 6 END * 600, {ended}, to_timestamp(moment),
            CASE WHEN completed THEN {ended} END,
            CASE WHEN e % 4 = 0 THEN 1 + (e / 4) % 5 END, {FACTS_PER_ENROLLMENT}
        FROM (
            SELECT e, {derived(e, courses, "({}) / {}")}, e % 5 < 2 AS completed
            FROM generate_series(0::bigint, {e - 1}) AS e
        ) AS g""",
    ]


def load_chdb(session: Session, events: int, courses: int) -> None:
    for statement in chdb_statements(events, courses):
        session.query(statement)


def load_postgres(conn: Connection, events: int, courses: int) -> None:
    for statement in postgres_statements(events, courses):
        conn.execute(text(statement))


def chdb_rows(session: Session, sql: str, **params: object) -> list[list[Any]]:
    """The rows of a chDB query, as lists of JSON values."""
    result = session.query(sql, "JSONCompact", params=params or None)
    return json.loads(result.bytes() or b'{"data": []}')["data"]
