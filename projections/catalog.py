"""The catalog read model: one row per course with its structure as a JSON document.

The catalog list filters and sorts the rows; the structure endpoint reads one row. Structure
events are applied to the document the way the Course aggregate applies them to its lists
(tests check the two agree for any sequence of changes). A course's rating is the average of
its learners' stars, kept in ``course_ratings`` by this projection too, so one rebuild, one
cache generation and one consistency token cover a course and its rating.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    update,
)

from projections.batch import TableBatch
from projections.course_ratings import RatingsBatch, Stats, course_ratings
from projections.metadata import metadata
from projections.structure_document import (
    STRUCTURE_HANDLERS,
    Structure,
    published_module_count,
)
from schemas.events import PublishedEvent
from schemas.published.catalog import (
    CourseArchived,
    CourseCoursePrerequisitesSet,
    CourseCreated,
    CourseDetailsUpdated,
    CoursePublished,
    CourseSequencingChanged,
    CourseUnpublished,
)
from schemas.published.learning import EnrollmentRated

courses = Table(
    "courses",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("instructor_id", String(36), nullable=False),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=False),
    Column("category", String(100), nullable=False),
    Column("difficulty", String(20), nullable=False),
    Column("duration_minutes", Integer, nullable=False),
    Column("price", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("cover_image_url", Text),
    Column("status", String(16), nullable=False),
    Column("module_count", Integer, nullable=False),
    Column("rating", Float),  # the average of learners' current stars (course_ratings)
    Column("rating_count", Integer, nullable=False),
    Column("structure", JSON, nullable=False),
    # What learners must do first (the modules' own prerequisites are in the structure); added
    # by migrations, see projections.migrations.
    Column("sequential", Boolean),
    Column("prerequisite_course_ids", JSON),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_courses_catalog", "status", "category", "difficulty", "duration_minutes"),
    Index("ix_courses_status_created", "status", "created_at"),
    Index("ix_courses_instructor", "instructor_id", "status"),
)

# The course's details as published (in ``Course.DetailsUpdated``'s changes) and their columns.
DETAIL_COLUMNS = {
    "title": "title",
    "description": "description",
    "category": "category",
    "difficulty": "difficulty",
    "durationMinutes": "duration_minutes",
    "price": "price",
    "currency": "currency",
    "coverImageUrl": "cover_image_url",
}


def created(event: PublishedEvent, rows: TableBatch) -> None:
    data = CourseCreated.of(event)
    rows.insert(
        {
            "id": event.aggregate_id,
            "instructor_id": data.instructor_id,
            **{column: getattr(data, column) for column in DETAIL_COLUMNS.values()},
            "status": "draft",
            "module_count": 0,
            "rating": None,
            "rating_count": 0,
            "structure": [],
            "sequential": False,
            "prerequisite_course_ids": [],
            "created_at": event.timestamp,
            "updated_at": event.timestamp,
            "version": event.aggregate_version,
        }
    )


def details_updated(row: dict[str, Any], event: PublishedEvent) -> None:
    for key, value in CourseDetailsUpdated.of(event).changes.items():
        row[DETAIL_COLUMNS[key]] = value


def sequencing_changed(row: dict[str, Any], event: PublishedEvent) -> None:
    row["sequential"] = CourseSequencingChanged.of(event).sequential


def course_prerequisites_set(row: dict[str, Any], event: PublishedEvent) -> None:
    row["prerequisite_course_ids"] = list(
        CourseCoursePrerequisitesSet.of(event).prerequisite_course_ids
    )


def status_set(status: str) -> Callable[[dict[str, Any], PublishedEvent], None]:
    def handle(row: dict[str, Any], _: PublishedEvent) -> None:
        row["status"] = status

    return handle


def on_structure(
    handler: Callable[[Structure, PublishedEvent], None],
) -> Callable[[dict[str, Any], PublishedEvent], None]:
    return lambda row, event: handler(row["structure"], event)


ROW_HANDLERS: dict[str, Callable[[dict[str, Any], PublishedEvent], None]] = {
    CourseDetailsUpdated.NAME: details_updated,
    CoursePublished.NAME: status_set("published"),
    CourseUnpublished.NAME: status_set("draft"),
    CourseArchived.NAME: status_set("archived"),
    CourseSequencingChanged.NAME: sequencing_changed,
    CourseCoursePrerequisitesSet.NAME: course_prerequisites_set,
} | {name: on_structure(handler) for name, handler in STRUCTURE_HANDLERS.items()}


SET_RATING = (
    update(courses)
    .where(courses.c.id == bindparam("_id"))
    .values(rating=bindparam("rating"), rating_count=bindparam("rating_count"))
)


def set_ratings(conn: Connection, stats: Stats) -> None:
    """A course not projected yet is skipped: its creation counts its ratings again."""
    if stats:
        rows = [{"_id": c, "rating": r, "rating_count": n} for c, (r, n) in stats.items()]
        conn.execute(SET_RATING, rows)


class CatalogProjection:
    name = "catalog"
    tables = (courses, course_ratings)

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        rows, ratings = TableBatch(courses), RatingsBatch()
        rows.load(conn, {e.aggregate_id for e in events if e.event_type in ROW_HANDLERS})
        for event in events:
            if event.event_type == CourseCreated.NAME:
                created(event, rows)
                ratings.recount(event.aggregate_id)
            elif event.event_type == EnrollmentRated.NAME:
                ratings.rate(event)
            elif handler := ROW_HANDLERS.get(event.event_type):
                row = rows.get(event.aggregate_id)
                handler(row, event)
                row.update(updated_at=event.timestamp, version=event.aggregate_version)
        for row in rows.rows():
            row["module_count"] = published_module_count(row["structure"])
        rows.flush(conn)
        set_ratings(conn, ratings.flush(conn))  # after the courses of this batch exist
