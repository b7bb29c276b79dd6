"""Queries on the enrollments read model: one enrollment, and a learner's enrollments by page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, func, select

from projections.catalog import courses
from projections.enrollments import enrollments
from schemas.base import iso_utc
from schemas.learning_views import EnrollmentPage, EnrollmentView


def with_titles() -> Select:
    """Enrollments beside their course's title (outer: the catalog may lag a moment)."""
    return select(enrollments, courses.c.title.label("course_title")).outerjoin(
        courses, courses.c.id == enrollments.c.course_id
    )


def enrollment_row(conn: Connection, enrollment_id: str) -> Any:
    return conn.execute(with_titles().where(enrollments.c.enrollment_id == enrollment_id)).first()


def enrollment_page(
    conn: Connection, page: int, page_size: int, user_id: str, status: str | None
) -> EnrollmentPage:
    filters = [enrollments.c.user_id == user_id]
    if status:
        filters.append(enrollments.c.status == status)
    total = conn.execute(select(func.count()).select_from(enrollments).where(*filters)).scalar_one()
    rows = conn.execute(
        with_titles()
        .where(*filters)
        .order_by(enrollments.c.enrolled_at.desc(), enrollments.c.enrollment_id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return EnrollmentPage(
        enrollments=[view(r) for r in rows], page=page, page_size=page_size, total=total
    )


def view(row: Any) -> EnrollmentView:
    return EnrollmentView(
        enrollment_id=row.enrollment_id,
        user_id=row.user_id,
        course_id=row.course_id,
        course_title=row.course_title,
        enrollment_date=iso_utc(row.enrolled_at),
        status=row.status,
        progress=row.progress,
        current_module_id=row.current_module_id,
        current_lesson_id=row.current_lesson_id,
        payment_id=row.payment_id,
        source=row.source,
        completed_at=iso_utc(row.completed_at) if row.completed_at else None,
        rating=row.rating,
    )
