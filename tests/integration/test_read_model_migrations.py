"""Read-model tables an older Campus made take today's shape on start, without a rebuild, on
SQLite and PostgreSQL: the new column, and in it what a rebuild would have put there."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, select, text

from projections.lesson_progress import lesson_progress
from projections.migrations import MIGRATIONS, applied_migrations, migrate
from projections.registry import resolve
from projections.runner import ProjectionRunner
from tests import services

# lesson_progress as Campus created it before sessions recorded their device.
OLD_LESSON_PROGRESS = """
    CREATE TABLE lesson_progress (
        enrollment_id VARCHAR(36) NOT NULL,
        lesson_id VARCHAR(64) NOT NULL,
        module_id VARCHAR(64) NOT NULL,
        progress FLOAT NOT NULL,
        time_spent BIGINT NOT NULL,
        position_seconds INTEGER NOT NULL,
        last_accessed TIMESTAMP WITH TIME ZONE NOT NULL,
        PRIMARY KEY (enrollment_id, lesson_id)
    )
"""
SESSION = {
    "enrollment_id": "e1",
    "lesson_id": "l1",
    "module_id": "m1",
    "progress": 0.5,
    "time_spent": 60,
    "position_seconds": 30,
    "last_accessed": datetime(2025, 7, 29, 12, 30, tzinfo=UTC),
}


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        made = create_engine(f"sqlite:///{tmp_path / 'read_models.db'}")
        yield made
        made.dispose()
        return
    with services.fresh_database() as url:
        made = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        yield made
        made.dispose()


def runner(engine: Engine, tmp_path: Path) -> ProjectionRunner:
    return ProjectionRunner(engine, resolve("read-models"), tmp_path)


def recorded(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(applied_migrations.c.id)).scalars())


def test_an_old_table_gains_the_new_column_filled_as_a_rebuild_would(engine, tmp_path):
    with engine.begin() as conn:
        conn.execute(text(OLD_LESSON_PROGRESS))
        conn.execute(lesson_progress.insert(), {**SESSION})  # the columns it had

    runner(engine, tmp_path).create_tables()

    columns = {c["name"] for c in inspect(engine).get_columns("lesson_progress")}
    assert "device" in columns
    with engine.connect() as conn:
        row = conn.execute(select(lesson_progress)).one()
    assert row.device == "unknown" and row.progress == 0.5
    assert recorded(engine) == sorted(migration_id for migration_id, _, _ in MIGRATIONS)


def test_a_new_database_is_made_in_todays_shape_and_each_migration_runs_once(engine, tmp_path):
    runner(engine, tmp_path).create_tables()
    assert "device" in {c["name"] for c in inspect(engine).get_columns("lesson_progress")}
    assert recorded(engine) == sorted(migration_id for migration_id, _, _ in MIGRATIONS)

    assert migrate(engine) == []


def test_a_migration_waits_unrecorded_until_its_table_exists(engine, tmp_path):
    assert migrate(engine) == []
    assert recorded(engine) == []

    runner(engine, tmp_path).create_tables()

    assert recorded(engine) == sorted(migration_id for migration_id, _, _ in MIGRATIONS)
