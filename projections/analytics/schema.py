"""The analytics tables, in ClickHouse SQL (the same for chDB and a ClickHouse server).

Every table that holds facts is a ``ReplacingMergeTree`` keyed by the event's place in its
application's log, ``(application, position)`` (plus the fact's kind where one event yields
several facts): a replayed or redelivered event writes the same key again and collapses into
one row, so queries read with ``FINAL`` and never count an event twice. ``analytics_facts`` is
sorted by kind and day ahead of that place, because every question asks for some kinds of fact
over a range of days and the primary index then skips the granules outside it; both come from
the event itself, so a replay still writes the same key. Its ``course_id`` is low-cardinality
(a catalogue holds thousands of courses, not millions), which makes grouping by course cheap.
Dimensions (courses, users, and the payment and enrollment each fact belongs to) keep their
latest version.

* ``analytics_events`` — every event, time-ordered: the spec's Analytics entity.
* ``analytics_facts`` — what the endpoints add up, one typed row per measurable fact:

  | fact | from | amount | value |
  |---|---|---|---|
  | enrollment | Enrollment.Enrolled | 0 | 0 |
  | completion | Enrollment.Completed | 0 | 0 |
  | progress | Enrollment.LessonProgressed | seconds studied | course progress after it (0..1) |
  | rating | Enrollment.Rated | stars | stars |
  | payment | Payment.Succeeded | minor units paid | 0 |
  | refund | Payment.Refunded | minor units refunded | 0 |
  | coupon_redemption | Coupon.Redeemed | 0 | 0 |
  | certificate | Certificate.Issued | 0 | 0 |
  | quiz_attempt | Enrollment.QuizAttempted | 1 if it passed, else 0 | score (0..100) |

  ``code`` holds the coupon code (payments with a coupon, redemptions), ``currency`` the money's.
* ``analytics_quiz_answers`` — one row per question of each graded quiz attempt, whether it
  was right: the share right is how hard a question is. Sorted by day ahead of the attempt's
  place in the log and the question, for the same reason as the facts.
* ``analytics_courses`` / ``analytics_users`` — titles, categories, names and roles to filter
  and label by.
* ``analytics_payments`` / ``analytics_enrollments`` — which course and learner a payment or an
  enrollment is about, since later events of those aggregates do not repeat it.
* ``analytics_tracking`` — how far the projection got per (application, partition).
* ``analytics_reports`` — generated reports (the spec's Analytics Reports entity).
"""

from __future__ import annotations

TABLES: dict[str, str] = {
    "analytics_events": """
        CREATE TABLE IF NOT EXISTS analytics_events (
            application LowCardinality(String),
            position UInt64,
            event_type LowCardinality(String),
            aggregate_id String,
            course_id String,
            user_id String,
            event_data String,
            recorded_at DateTime64(6, 'UTC')
        ) ENGINE = ReplacingMergeTree
        ORDER BY (application, position)
    """,
    "analytics_facts": """
        CREATE TABLE IF NOT EXISTS analytics_facts (
            application LowCardinality(String),
            position UInt64,
            fact LowCardinality(String),
            at DateTime64(6, 'UTC'),
            day Date,
            course_id LowCardinality(String),
            user_id String,
            amount Int64,
            currency LowCardinality(String),
            value Float64,
            code String
        ) ENGINE = ReplacingMergeTree
        ORDER BY (fact, day, application, position)
    """,
    "analytics_quiz_answers": """
        CREATE TABLE IF NOT EXISTS analytics_quiz_answers (
            application LowCardinality(String),
            position UInt64,
            question_id String,
            at DateTime64(6, 'UTC'),
            day Date,
            course_id LowCardinality(String),
            lesson_id String,
            user_id String,
            correct UInt8
        ) ENGINE = ReplacingMergeTree
        ORDER BY (day, application, position, question_id)
    """,
    "analytics_courses": """
        CREATE TABLE IF NOT EXISTS analytics_courses (
            course_id String,
            title String,
            category String,
            instructor_id String,
            price Int64,
            currency LowCardinality(String),
            version UInt64
        ) ENGINE = ReplacingMergeTree(version)
        ORDER BY course_id
    """,
    "analytics_users": """
        CREATE TABLE IF NOT EXISTS analytics_users (
            user_id String,
            name String,
            email String,
            role LowCardinality(String),
            registered_at DateTime64(6, 'UTC'),
            version UInt64
        ) ENGINE = ReplacingMergeTree(version)
        ORDER BY user_id
    """,
    "analytics_payments": """
        CREATE TABLE IF NOT EXISTS analytics_payments (
            payment_id String,
            course_id String,
            user_id String,
            coupon_code String,
            currency LowCardinality(String)
        ) ENGINE = ReplacingMergeTree
        ORDER BY payment_id
    """,
    "analytics_enrollments": """
        CREATE TABLE IF NOT EXISTS analytics_enrollments (
            enrollment_id String,
            course_id String,
            user_id String
        ) ENGINE = ReplacingMergeTree
        ORDER BY enrollment_id
    """,
    "analytics_tracking": """
        CREATE TABLE IF NOT EXISTS analytics_tracking (
            application LowCardinality(String),
            partition UInt32,
            position UInt64
        ) ENGINE = ReplacingMergeTree(position)
        ORDER BY (application, partition)
    """,
    "analytics_reports": """
        CREATE TABLE IF NOT EXISTS analytics_reports (
            report_id String,
            type LowCardinality(String),
            parameters String,
            data String,
            generated_by String,
            generated_at DateTime64(6, 'UTC')
        ) ENGINE = ReplacingMergeTree
        ORDER BY report_id
    """,
}
"""Table name -> its CREATE statement, in creation order."""

PROJECTED = [name for name in TABLES if name != "analytics_reports"]
"""What a rebuild replaces (reports are generated on request, not projected)."""


def fresh_copy_statements(table: str, name: str) -> list[str]:
    """An empty table ``name`` laid out as ``table`` is today (one left over is dropped)."""
    return [f"DROP TABLE IF EXISTS {name}", TABLES[table].replace(f" {table} (", f" {name} (", 1)]
