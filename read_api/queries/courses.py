"""Queries on the catalog read model: the filtered catalog page and one course's structure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, or_, select

from projections.catalog import courses
from projections.structure_document import published_only
from projections.users import users
from schemas.courses import CatalogPage, CourseStructure, CourseSummary, LessonView, ModuleView

SORTS = {
    "newest": (courses.c.created_at.desc(), courses.c.id),
    "oldest": (courses.c.created_at, courses.c.id),
    "title": (courses.c.title, courses.c.id),
    "price": (courses.c.price, courses.c.id),
    "-price": (courses.c.price.desc(), courses.c.id),
    "duration": (courses.c.duration_minutes, courses.c.id),
    "rating": (courses.c.rating.desc().nulls_last(), courses.c.id),
}


@dataclass(frozen=True)
class CatalogQuery:
    status: str = "published"
    category: str | None = None
    difficulty: str | None = None
    max_duration: int | None = None
    text: str | None = None
    instructor_id: str | None = None
    sort: str = "newest"
    page: int = 1
    page_size: int = 20


def catalog_page(conn: Connection, query: CatalogQuery) -> CatalogPage:
    filters = [courses.c.status == query.status]
    if query.category:
        filters.append(func.lower(courses.c.category) == query.category.lower())
    if query.difficulty:
        filters.append(courses.c.difficulty == query.difficulty)
    if query.max_duration is not None:
        filters.append(courses.c.duration_minutes <= query.max_duration)
    if query.instructor_id:
        filters.append(courses.c.instructor_id == query.instructor_id)
    if query.text:
        # Escaped: a `%` or `_` typed in a search is a character to find, not a wildcard.
        text = query.text.lower()
        filters.append(
            or_(
                func.lower(courses.c.title).contains(text, autoescape=True),
                func.lower(courses.c.description).contains(text, autoescape=True),
            )
        )
    total = conn.execute(select(func.count()).select_from(courses).where(*filters)).scalar_one()
    rows = conn.execute(
        select(courses, users.c.name.label("instructor_name"))
        .outerjoin(users, users.c.id == courses.c.instructor_id)
        .where(*filters)
        .order_by(*SORTS[query.sort])
        .limit(query.page_size)
        .offset((query.page - 1) * query.page_size)
    )
    return CatalogPage(
        courses=[summary(r) for r in rows], page=query.page, page_size=query.page_size, total=total
    )


def summary(row: Any) -> CourseSummary:
    return CourseSummary(
        course_id=row.id,
        title=row.title,
        instructor=row.instructor_name,
        instructor_id=row.instructor_id,
        rating=row.rating,
        rating_count=row.rating_count,
        duration=row.duration_minutes,
        category=row.category,
        cover_image_url=row.cover_image_url,
        description=row.description,
        price=row.price / 100,
        currency=row.currency,
        difficulty=row.difficulty,
        module_count=row.module_count,
        status=row.status,
    )


def course_row(conn: Connection, course_id: str) -> Any:
    return conn.execute(select(courses).where(courses.c.id == course_id)).first()


def structure(row: Any, full: bool) -> CourseStructure:
    """The ordered structure; ``full`` includes drafts (for the owner and admins)."""
    modules = row.structure if full else published_only(row.structure)
    return CourseStructure(
        course_id=row.id,
        title=row.title,
        status=row.status,
        instructor_id=row.instructor_id,
        modules=[
            ModuleView(
                id=m["id"],
                title=m["title"],
                order=i,
                status=m["status"],
                lessons=[
                    LessonView(
                        order=j,
                        **{k: x[k] for k in ("id", "title", "type", "url", "content", "status")},
                        # Documents written before lessons had a duration lack the key.
                        duration_seconds=x.get("durationSeconds"),
                    )
                    for j, x in enumerate(m["lessons"], 1)
                ],
            )
            for i, m in enumerate(modules, 1)
        ],
    )
