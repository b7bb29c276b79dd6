"""The learner's dashboard: courses under way with where to resume, courses completed,
certificates held, time spent, the lessons opened last, and the quizzes attempted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from domain.learning.enrollment_terms import Status
from projections.catalog import courses
from projections.certificates import VALID, certificates
from projections.enrollments import enrollments
from projections.lesson_progress import lesson_progress
from read_api.queries.enrollments import with_titles
from read_api.queries.quizzes import learner_quizzes
from schemas.base import iso_utc
from schemas.learning_views import (
    ActiveCourseView,
    ActivityView,
    CompletedCourseView,
    DashboardView,
    ResumePointView,
)

RECENT_ACTIVITY = 10


def dashboard(conn: Connection, user_id: str) -> DashboardView:
    rows = conn.execute(
        with_titles()
        .where(enrollments.c.user_id == user_id)
        .order_by(enrollments.c.last_accessed.desc().nulls_last(), enrollments.c.enrolled_at.desc())
    ).all()
    done = [r for r in rows if r.status == Status.COMPLETED]
    done.sort(key=lambda r: r.completed_at, reverse=True)
    return DashboardView(
        active_courses=[active(r) for r in rows if r.status == Status.IN_PROGRESS],
        completed_courses=[completed(r) for r in done],
        certificate_count=certificate_count(conn, user_id),
        total_time_spent=sum(r.time_spent for r in rows),
        recent_activity=recent_activity(conn, user_id),
        quizzes=learner_quizzes(conn, user_id),
    )


def active(row: Any) -> ActiveCourseView:
    resume = None
    if row.current_lesson_id is not None:
        resume = ResumePointView(
            module_id=row.current_module_id,
            lesson_id=row.current_lesson_id,
            position_seconds=row.position_seconds,
            last_accessed=iso_utc(row.last_accessed),
        )
    return ActiveCourseView(
        enrollment_id=row.enrollment_id,
        course_id=row.course_id,
        title=row.course_title,
        progress=row.progress,
        resume=resume,
    )


def completed(row: Any) -> CompletedCourseView:
    return CompletedCourseView(
        enrollment_id=row.enrollment_id,
        course_id=row.course_id,
        title=row.course_title,
        completed_at=iso_utc(row.completed_at) if row.completed_at else None,
    )


def certificate_count(conn: Connection, user_id: str) -> int:
    query = (
        select(func.count())
        .select_from(certificates)
        .where(certificates.c.user_id == user_id, certificates.c.status == VALID)
    )
    return conn.execute(query).scalar_one()


def recent_activity(conn: Connection, user_id: str) -> list[ActivityView]:
    rows = conn.execute(
        select(lesson_progress, enrollments.c.course_id, courses.c.title)
        .join(enrollments, enrollments.c.enrollment_id == lesson_progress.c.enrollment_id)
        .outerjoin(courses, courses.c.id == enrollments.c.course_id)
        .where(enrollments.c.user_id == user_id)
        .order_by(lesson_progress.c.last_accessed.desc(), lesson_progress.c.lesson_id)
        .limit(RECENT_ACTIVITY)
    )
    return [
        ActivityView(
            enrollment_id=r.enrollment_id,
            course_id=r.course_id,
            title=r.title,
            module_id=r.module_id,
            lesson_id=r.lesson_id,
            progress=r.progress,
            time_spent=r.time_spent,
            last_accessed=iso_utc(r.last_accessed),
        )
        for r in rows
    ]
