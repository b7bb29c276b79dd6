"""What ``campus bench analytics`` prints: one row per backend and size, notes, a JSON line.

A row counts the timed runs after the cold first one (``p50 ms`` is their median, the rate
queries a second one after the other); its name says how many rows the question runs over:
facts on chDB, enrollments on PostgreSQL. The first (cold) runs, chDB's run before its parts
were merged, the load times and whether the two answers agree are in the notes and the JSON
line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console

from ops.bench.analytics_data import FACTS_PER_ENROLLMENT
from ops.bench.report import Row, show

if TYPE_CHECKING:
    from ops.bench.analytics import AnalyticsOptions, Side

Measured = list[tuple[int, "Side", "Side"]]


def row(name: str, side: Side) -> Row:
    runs = side.timing.runs_ms
    extra = {"rows": side.rows, "cold_ms": side.timing.cold_ms, "runs_ms": runs}
    extra |= {"load_seconds": side.load_seconds} | side.facts
    median = side.timing.median_ms
    return Row(name, 0, len(runs), sum(runs) / 1000, p50_ms=median, unit="runs", extra=extra)


def rows_of(measured: Measured) -> list[Row]:
    rows = []
    for events, chdb, postgres in measured:
        rows.append(row(f"chDB: {chdb.rows:,} facts ({events:,} events)", chdb))
        rows.append(row(f"PostgreSQL: {postgres.rows:,} enrollments ({events:,} events)", postgres))
    return rows


def same(chdb: Side, postgres: Side) -> bool:
    """The same courses, titles and counts in the same order; popularity to 9 places."""

    def rounded(side: Side) -> list[tuple[str, str, int, float]]:
        return [(c, t, n, round(p, 9)) for c, t, n, p in side.timing.answer]

    return rounded(chdb) == rounded(postgres)


def size_notes(events: int, chdb: Side, postgres: Side, courses: int) -> list[str]:
    on_chdb, on_postgres, facts = chdb.timing, postgres.timing, chdb.facts
    ratio = on_postgres.median_ms / on_chdb.median_ms if on_chdb.median_ms else float("nan")
    agree = "yes" if same(chdb, postgres) else "NO"
    return [
        f"{events:,} events: chDB holds {chdb.rows:,} facts, PostgreSQL {postgres.rows:,} "
        f"enrollments rows, {courses:,} courses each; "
        f"{facts['enrollments_in_range']:,} enrollments fall in the range",
        f"{events:,} events: loaded in {chdb.load_seconds:.1f} s on chDB (INSERT … FROM "
        f"numbers(), then OPTIMIZE FINAL {facts['optimize_seconds']:.1f} s), "
        f"{postgres.load_seconds:.1f} s on PostgreSQL (INSERT … FROM generate_series(), "
        "VACUUM ANALYZE)",
        f"{events:,} events: chDB as loaded (active parts: {facts['parts']}) "
        f"{facts['unmerged_ms']:,.1f} ms; first run after it {on_chdb.cold_ms:,.1f} ms, "
        f"PostgreSQL's first {on_postgres.cold_ms:,.1f} ms",
        f"{events:,} events: median chDB {on_chdb.median_ms:,.1f} ms, PostgreSQL "
        f"{on_postgres.median_ms:,.1f} ms (PostgreSQL / chDB = {ratio:.2f}); "
        f"answers agree: {agree}",
    ]


def report(
    options: AnalyticsOptions, measured: Measured, chdb_version: str, console: Console
) -> None:
    postgres_version = measured[0][2].facts["server_version"] if measured else "?"
    notes = [
        "question: enrollments per course from 2025-04-01 to 2025-09-30 (UTC days), top 20, "
        "popularity = enrollments / the top course's, with titles",
        f"chDB {chdb_version}: ClickHouse's engine inside this process (no server, no network), "
        f"analytics_facts FINAL; PostgreSQL {postgres_version} over loopback (SQLAlchemy + "
        "psycopg), the enrollments read model joined to courses, a fresh database per size",
        f"history: {FACTS_PER_ENROLLMENT} facts per enrollment (enrolled, paid, lesson "
        "sessions, some ratings and completions), one row per enrollment in the read model",
        f"median of {options.repeat} runs after a first (cold) one; chDB's come after its parts "
        "are merged, PostgreSQL's after VACUUM ANALYZE; the OS page cache is not dropped",
    ]
    for events, chdb, postgres in measured:
        notes += size_notes(events, chdb, postgres, options.courses)
    show(
        console,
        "analytics",
        "analytics: course popularity on chDB beside the PostgreSQL read models",
        rows_of(measured),
        notes,
        answers_agree=all(same(chdb, postgres) for _, chdb, postgres in measured),
        courses=options.courses,
    )
