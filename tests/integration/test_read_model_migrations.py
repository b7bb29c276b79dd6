"""Read-model tables an older Campus made take today's shape on start, without a rebuild, on
SQLite and PostgreSQL: the new column, and in it what a rebuild would have put there."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, select, text

from projections.catalog import courses
from projections.certificates import certificates
from projections.lesson_progress import lesson_progress
from projections.migrations import MIGRATIONS, applied_migrations, migrate
from projections.payments import payments
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

# courses as Campus created it before courses had rules for learners.
OLD_COURSES = """
    CREATE TABLE courses (
        id VARCHAR(36) NOT NULL PRIMARY KEY,
        instructor_id VARCHAR(36) NOT NULL,
        title VARCHAR(300) NOT NULL,
        description TEXT NOT NULL,
        category VARCHAR(100) NOT NULL,
        difficulty VARCHAR(20) NOT NULL,
        duration_minutes INTEGER NOT NULL,
        price BIGINT NOT NULL,
        currency VARCHAR(3) NOT NULL,
        cover_image_url TEXT,
        status VARCHAR(16) NOT NULL,
        module_count INTEGER NOT NULL,
        rating FLOAT,
        rating_count INTEGER NOT NULL,
        structure JSON NOT NULL,
        created_at TIMESTAMP WITH TIME ZONE NOT NULL,
        updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
        version INTEGER NOT NULL
    )
"""
COURSE = {
    "id": "c1",
    "instructor_id": "u1",
    "title": "Python",
    "description": "",
    "category": "Programming",
    "difficulty": "Beginner",
    "duration_minutes": 60,
    "price": 0,
    "currency": "NGN",
    "status": "published",
    "module_count": 0,
    "rating_count": 0,
    "structure": [],
    "created_at": datetime(2025, 7, 29, 12, 30, tzinfo=UTC),
    "updated_at": datetime(2025, 7, 29, 12, 30, tzinfo=UTC),
    "version": 1,
}

# certificates as Campus created it before certificate templates.
OLD_CERTIFICATES = """
    CREATE TABLE certificates (
        certificate_id VARCHAR(36) NOT NULL PRIMARY KEY,
        unique_id VARCHAR(32) NOT NULL UNIQUE,
        enrollment_id VARCHAR(36) NOT NULL,
        user_id VARCHAR(36) NOT NULL,
        course_id VARCHAR(36) NOT NULL,
        learner_name VARCHAR(200) NOT NULL,
        course_title VARCHAR(300) NOT NULL,
        instructor_name VARCHAR(200) NOT NULL,
        completed_at TIMESTAMP WITH TIME ZONE,
        issued_at TIMESTAMP WITH TIME ZONE NOT NULL,
        issued_by VARCHAR(36),
        status VARCHAR(16) NOT NULL,
        revoked_at TIMESTAMP WITH TIME ZONE,
        revoke_reason TEXT,
        edition INTEGER NOT NULL,
        reissued_at TIMESTAMP WITH TIME ZONE,
        version INTEGER NOT NULL
    )
"""
CERTIFICATE = {
    "certificate_id": "c1",
    "unique_id": "CMP-AAAA-BBBB-CCCC",
    "enrollment_id": "e1",
    "user_id": "u1",
    "course_id": "k1",
    "learner_name": "Ada",
    "course_title": "Python",
    "instructor_name": "Bola",
    "issued_at": datetime(2025, 7, 29, 12, 30, tzinfo=UTC),
    "status": "valid",
    "edition": 1,
    "version": 1,
}


# A payment as Campus projected it before refunds in progress were shown.
PAYMENT = {
    "payment_id": "p-1",
    "transaction_id": "tx_1",
    "user_id": "u-1",
    "course_id": "c-1",
    "method": "card",
    "status": "partially_refunded",
    "currency": "NGN",
    "original_amount": 500,
    "coupon_discount": 0,
    "promo_discount": 0,
    "amount": 500,
    "refunded_amount": 100,
    "created_at": datetime(2026, 12, 1, tzinfo=UTC),
    "updated_at": datetime(2026, 12, 1, tzinfo=UTC),
    "version": 4,
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


def test_an_old_courses_table_gains_the_rules_of_a_course_that_had_none(engine, tmp_path):
    with engine.begin() as conn:
        conn.execute(text(OLD_COURSES))
        conn.execute(courses.insert(), {**COURSE})

    runner(engine, tmp_path).create_tables()

    with engine.connect() as conn:
        row = conn.execute(select(courses)).one()
    assert (row.sequential, row.prerequisite_course_ids, row.title) == (False, [], "Python")


def test_an_old_certificate_keeps_the_default_layout_and_records_no_grade(engine, tmp_path):
    with engine.begin() as conn:
        conn.execute(text(OLD_CERTIFICATES))
        conn.execute(certificates.insert(), {**CERTIFICATE})

    runner(engine, tmp_path).create_tables()

    with engine.connect() as conn:
        row = conn.execute(select(certificates)).one()
    assert (row.template_id, row.template_revision, row.progress) == (None, None, None)
    assert row.learner_name == "Ada"


def test_an_old_payment_gains_no_refund_in_progress(engine, tmp_path):
    with engine.begin() as conn:
        payments.create(conn)
        conn.execute(text("ALTER TABLE payments DROP COLUMN refund_in_progress"))
        conn.execute(payments.insert(), {**PAYMENT})  # the columns it had

    runner(engine, tmp_path).create_tables()

    with engine.connect() as conn:
        row = conn.execute(select(payments)).one()
    assert (row.refund_in_progress, row.refunded_amount) == (0, 100)


def test_the_refunds_in_flight_are_indexed_on_old_and_new_tables(engine, tmp_path):
    with engine.begin() as conn:
        payments.create(conn)
        conn.execute(text("ALTER TABLE payments DROP COLUMN refund_in_progress"))

    runner(engine, tmp_path).create_tables()

    indexes = {index["name"] for index in inspect(engine).get_indexes("payments")}
    assert "ix_payments_refund_started" in indexes


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
