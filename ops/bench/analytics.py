"""``campus bench analytics``: the course-popularity question on chDB beside PostgreSQL.

The question the analytics endpoints answer most: enrollments per course in a date range,
the top 20, each with its popularity (its enrollments over the top course's). It is asked of
the analytics facts in chDB (``analytics_facts FINAL``, titles from ``analytics_courses``) and
of the PostgreSQL read models (``enrollments`` joined to ``courses``), each loaded with the
same generated history (``ops.bench.analytics_data``) at every size. chDB is asked once as
loaded, then after its parts are merged; on each side the first run is reported apart (cold),
then the median of ``--repeat`` runs. The two answers must be equal.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from chdb.session import Session
from rich.console import Console
from sqlalchemy import Connection, Float, Select, cast, create_engine, func, select, text
from sqlalchemy.pool import NullPool

from ops.bench.analytics_data import chdb_rows, enrollments_for, load_chdb, load_postgres
from ops.bench.analytics_report import report
from ops.bench.database import fresh_database, server_version
from projections.analytics.schema import TABLES
from projections.catalog import courses
from projections.enrollments import enrollments
from projections.metadata import metadata

TOP = 20
# Instants [FROM, UNTIL) for the read model; for the facts the same range as UTC days, both
# included, filtered on ``day`` as the analytics endpoints do (read_api.queries.analytics).
FROM, UNTIL = datetime(2025, 4, 1, tzinfo=UTC), datetime(2025, 10, 1, tzinfo=UTC)
DAYS = {"start": FROM.date().isoformat(), "end": (UNTIL - timedelta(days=1)).date().isoformat()}
Answer = list[tuple[str, str, int, float]]

CHDB_QUESTION = f"""
    SELECT course_id, title, enrollments, enrollments / max(enrollments) OVER () AS popularity
    FROM (
        SELECT course_id, count() AS enrollments
        FROM analytics_facts FINAL
        WHERE fact = 'enrollment' AND day BETWEEN {{start:Date}} AND {{end:Date}}
        GROUP BY course_id
    ) AS counted
    LEFT JOIN (SELECT course_id, title FROM analytics_courses FINAL) AS named USING (course_id)
    ORDER BY enrollments DESC, course_id
    LIMIT {TOP}
"""
IN_RANGE = """
    SELECT count() FROM analytics_facts FINAL
    WHERE fact = 'enrollment' AND day BETWEEN {start:Date} AND {end:Date}
"""
ACTIVE_PARTS = "SELECT count() FROM system.parts WHERE table = 'analytics_facts' AND active"


@dataclass(frozen=True)
class AnalyticsOptions:
    postgres_url: str
    events: list[int]
    courses: int = 1_000
    repeat: int = 5


@dataclass(frozen=True)
class Timing:
    cold_ms: float
    runs_ms: list[float]
    answer: Answer

    @property
    def median_ms(self) -> float:
        return statistics.median(self.runs_ms)


@dataclass(frozen=True)
class Side:
    """One backend at one size: the rows it holds, how long they took to load, the timings."""

    rows: int
    load_seconds: float
    timing: Timing
    facts: dict[str, object] = field(default_factory=dict)


def timed(ask: Callable[[], Answer], repeat: int) -> Timing:
    runs: list[float] = []
    answer: Answer = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        answer = ask()
        runs.append((time.perf_counter() - started) * 1000)
    return Timing(runs[0], runs[1:], answer)


def chdb_answer(session: Session) -> Answer:
    rows = chdb_rows(session, CHDB_QUESTION, **DAYS)
    return [(str(c), str(t), int(n), float(p)) for c, t, n, p in rows]


def postgres_question() -> Select[tuple[str, str, int, float]]:
    counted = (
        select(enrollments.c.course_id, func.count().label("enrollments"))
        .where(enrollments.c.enrolled_at >= FROM, enrollments.c.enrolled_at < UNTIL)
        .group_by(enrollments.c.course_id)
        .subquery("counted")
    )
    # Both sides as float: the division is then the same IEEE one ClickHouse does.
    top = cast(func.max(counted.c.enrollments).over(), Float)
    return (
        select(
            counted.c.course_id,
            courses.c.title,
            counted.c.enrollments,
            (cast(counted.c.enrollments, Float) / top).label("popularity"),
        )
        .select_from(counted.outerjoin(courses, courses.c.id == counted.c.course_id))
        .order_by(counted.c.enrollments.desc(), counted.c.course_id)
        .limit(TOP)
    )


def postgres_answer(conn: Connection) -> Answer:
    rows = conn.execute(postgres_question()).all()
    return [(c, t, int(n), float(p)) for c, t, n, p in rows]


def chdb_count(session: Session, sql: str, **params: object) -> int:
    return int(chdb_rows(session, sql, **params)[0][0])


def chdb_side(session: Session, events: int, options: AnalyticsOptions) -> Side:
    for name in ("analytics_facts", "analytics_courses"):
        session.query(f"DROP TABLE IF EXISTS {name}")
        session.query(TABLES[name])
    started = time.perf_counter()
    load_chdb(session, events, options.courses)
    loaded = time.perf_counter() - started
    # Once before the parts are merged, where FINAL has to merge rows at query time.
    facts = {
        "parts": chdb_count(session, ACTIVE_PARTS),
        "unmerged_ms": timed(lambda: chdb_answer(session), 0).cold_ms,
    }
    # A server merges a table's parts in the background soon after a load; the timed runs
    # measure FINAL on such a settled table.
    started = time.perf_counter()
    session.query("OPTIMIZE TABLE analytics_facts FINAL")
    facts["optimize_seconds"] = time.perf_counter() - started
    timing = timed(lambda: chdb_answer(session), options.repeat)
    facts["enrollments_in_range"] = chdb_count(session, IN_RANGE, **DAYS)
    return Side(events, loaded, timing, facts)


def postgres_side(server_url: str, events: int, options: AnalyticsOptions) -> Side:
    with fresh_database(server_url) as url:
        engine = create_engine(
            url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=NullPool
        )
        try:
            metadata.create_all(engine, tables=[courses, enrollments])
            started = time.perf_counter()
            with engine.begin() as conn:
                load_postgres(conn, events, options.courses)
            # Autovacuum would soon set the visibility map and the planner's statistics.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE courses, enrollments"))
            loaded = time.perf_counter() - started
            with engine.connect() as conn:
                timing = timed(lambda: postgres_answer(conn), options.repeat)
        finally:
            engine.dispose()
        version = server_version(url)
    return Side(enrollments_for(events), loaded, timing, {"server_version": version})


def run(options: AnalyticsOptions, console: Console) -> None:
    measured: list[tuple[int, Side, Side]] = []
    with tempfile.TemporaryDirectory(prefix="campus-bench-chdb-") as path:
        session = Session(path)
        try:
            for events in options.events:
                console.print(f"{events:,} events: loading and asking chDB ...")
                on_chdb = chdb_side(session, events, options)
                console.print(f"{events:,} events: loading and asking PostgreSQL ...")
                on_postgres = postgres_side(options.postgres_url, events, options)
                measured.append((events, on_chdb, on_postgres))
            engine_version = chdb_rows(session, "SELECT version()")[0][0]
        finally:
            session.close()
    report(options, measured, str(engine_version), console)
