"""Versioned changes to read-model tables that already exist, applied where the tables are made.

``CREATE TABLE IF NOT EXISTS`` makes each table as its projection declares it today, and leaves a
table an older Campus made as it was. So a change to an existing table is also a migration here:
applied once per database, in order, recorded in ``read_model_migrations``. A migration only
adds (a column, an index, and what the new column would hold had it always been there), so a
migrated table equals a rebuilt one and a process of the previous version, still running during
a rolling upgrade, keeps working. Each first looks whether its change is there already: on a new
database the table was created with it.

The next change: declare it on the projection's table, append a migration to ``MIGRATIONS``
(never edit or reorder one that has shipped), and test it on a table in the old shape.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    String,
    Table,
    insert,
    inspect,
    select,
    text,
    update,
)

from infra.database import ensure_tables, lock_key
from projections.catalog import courses
from projections.certificates import certificates
from projections.lesson_progress import lesson_progress
from projections.metadata import metadata
from projections.payments import payments

log = logging.getLogger("campus.projections")

applied_migrations = Table(
    "read_model_migrations",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

Step = Callable[[Connection], None]


@dataclass(frozen=True)
class AddColumn:
    """Add ``table``'s column ``name`` as declared (nullable), then fill the rows already there.
    A table made by this very start has the column from its declaration: nothing to add."""

    table: Table
    name: str
    backfill: Step | None = None

    def __call__(self, conn: Connection) -> None:
        if self.name in {column["name"] for column in inspect(conn).get_columns(self.table.name)}:
            return
        kind = self.table.c[self.name].type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE {self.table.name} ADD COLUMN {self.name} {kind}"))
        if self.backfill:
            self.backfill(conn)


def catalog_search(conn: Connection) -> None:
    """Full-text search over the courses' titles, descriptions and categories, kept by the
    database itself as rows change: a weighted ``tsvector`` column with a GIN index on
    PostgreSQL, an FTS5 index kept by triggers on SQLite (both stem English words)."""
    if conn.dialect.name == "postgresql":
        columns = {column["name"] for column in inspect(conn).get_columns("courses")}
        if "search" not in columns:
            conn.execute(text(POSTGRES_SEARCH))
        conn.execute(
            text("CREATE INDEX IF NOT EXISTS ix_courses_search ON courses USING GIN (search)")
        )
        return
    for statement in SQLITE_SEARCH:
        conn.execute(text(statement))
    conn.execute(text("INSERT INTO courses_search(courses_search) VALUES ('rebuild')"))


POSTGRES_SEARCH = """
    ALTER TABLE courses ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(category, '')), 'B')
        || setweight(to_tsvector('english', coalesce(description, '')), 'C')
    ) STORED
"""
SQLITE_SEARCH = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS courses_search USING fts5(
        title, category, description, content='courses', content_rowid='rowid',
        tokenize='porter unicode61')""",
    """CREATE TRIGGER IF NOT EXISTS courses_search_added AFTER INSERT ON courses BEGIN
        INSERT INTO courses_search(rowid, title, category, description)
        VALUES (new.rowid, new.title, new.category, new.description); END""",
    """CREATE TRIGGER IF NOT EXISTS courses_search_removed AFTER DELETE ON courses BEGIN
        INSERT INTO courses_search(courses_search, rowid, title, category, description)
        VALUES ('delete', old.rowid, old.title, old.category, old.description); END""",
    """CREATE TRIGGER IF NOT EXISTS courses_search_changed
        AFTER UPDATE OF title, category, description ON courses BEGIN
        INSERT INTO courses_search(courses_search, rowid, title, category, description)
        VALUES ('delete', old.rowid, old.title, old.category, old.description);
        INSERT INTO courses_search(rowid, title, category, description)
        VALUES (new.rowid, new.title, new.category, new.description); END""",
)


def sessions_were_on_unknown_devices(conn: Connection) -> None:
    # Every session recorded before devices were is one on an unknown device (the events'
    # upcaster says so too), so a migrated table equals a rebuilt one.
    conn.execute(update(lesson_progress).values(device="unknown"))


# A course projected before learners' rules existed had none: it is not sequential and
# requires no course, as a rebuild from its events would say.
def courses_were_not_sequential(conn: Connection) -> None:
    conn.execute(update(courses).values(sequential=False))


def courses_required_no_course(conn: Connection) -> None:
    conn.execute(update(courses).values(prerequisite_course_ids=[]))


def no_refund_in_progress(conn: Connection) -> None:
    conn.execute(update(payments).values(refund_in_progress=0))


def refunds_in_flight_indexed(conn: Connection) -> None:
    """The reconciler and every metrics scrape ask for the refunds in flight: an index spares
    them a scan of every payment. Not declared on the table: a start creates the declared
    indexes before the migrations add their columns, and a table older than the column would
    refuse it."""
    conn.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_payments_refund_started ON payments (refund_started_at)"
        )
    )


MIGRATIONS: list[tuple[str, str, Step]] = [
    (
        "2026-12-07 lesson_progress.device",
        "lesson_progress",
        AddColumn(lesson_progress, "device", sessions_were_on_unknown_devices),
    ),
    ("2026-12-07 courses full-text search", "courses", catalog_search),
    (
        "2026-12-07 courses.sequential",
        "courses",
        AddColumn(courses, "sequential", courses_were_not_sequential),
    ),
    (
        "2026-12-07 courses.prerequisite_course_ids",
        "courses",
        AddColumn(courses, "prerequisite_course_ids", courses_required_no_course),
    ),
    # A certificate issued before templates shows the default layout and records no grade:
    # null in each, as a rebuild through the Certificate.Issued upcaster gives.
    (
        "2026-12-07 certificates.template_id",
        "certificates",
        AddColumn(certificates, "template_id"),
    ),
    (
        "2026-12-07 certificates.template_revision",
        "certificates",
        AddColumn(certificates, "template_revision"),
    ),
    ("2026-12-07 certificates.progress", "certificates", AddColumn(certificates, "progress")),
    # Null for all: a refund left in flight before this column is found by the reconciler
    # only after `campus projections rebuild read-models`, which sets it from the events.
    (
        "2026-12-07 payments.refund_started_at",
        "payments",
        AddColumn(payments, "refund_started_at"),
    ),
    # Zero for all, the same way: a refund in flight shows its amount after a rebuild.
    (
        "2026-12-08 payments.refund_in_progress",
        "payments",
        AddColumn(payments, "refund_in_progress", no_refund_in_progress),
    ),
    ("2026-12-08 payments refunds in flight indexed", "payments", refunds_in_flight_indexed),
]
"""(id, the table it changes, step) in the order they apply; an id names its date and what
it changes. A migration waits, unrecorded, until its table exists."""


def migrate(engine: Engine, made: Collection[str] = ()) -> list[str]:
    """Apply the migrations this database has not had, in one transaction; answer their ids.
    ``made``: the tables this start has just created, whose added columns are declared."""
    ensure_tables(engine, [applied_migrations])
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # processes starting together take turns
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key("migrations")})
        done = set(conn.execute(select(applied_migrations.c.id)).scalars())
        applied = []
        for migration_id, table, step in MIGRATIONS:
            if migration_id in done:
                continue
            if table in made and isinstance(step, AddColumn):
                pass  # the table was just made with the column declared
            elif inspect(conn).has_table(table):
                log.info("read models: applying migration %s", migration_id)
                step(conn)
            else:
                continue  # it waits for its table
            row = {"id": migration_id, "applied_at": datetime.now(UTC)}
            conn.execute(insert(applied_migrations), row)
            applied.append(migration_id)
        return applied
