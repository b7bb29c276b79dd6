"""Queries on the catalog read model: the filtered catalog page and one course's structure,
with the caller's locks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    false,
    func,
    literal_column,
    select,
)
from sqlalchemy import text as sql

from domain.courses.unlocking import NOTHING_LOCKED, OPEN, Lock, Unlocking
from projections.catalog import courses
from projections.structure_document import published_only
from projections.users import users
from read_api.queries.unlocking import unlocked_by
from schemas.courses import (
    CatalogPage,
    CourseStructureView,
    CourseSummaryView,
    LessonView,
    ModuleView,
)

SORTS = {
    "newest": (courses.c.created_at.desc(), courses.c.id),
    "oldest": (courses.c.created_at, courses.c.id),
    "title": (courses.c.title, courses.c.id),
    "price": (courses.c.price, courses.c.id),
    "-price": (courses.c.price.desc(), courses.c.id),
    "duration": (courses.c.duration_minutes, courses.c.id),
    "rating": (courses.c.rating.desc().nulls_last(), courses.c.id),
    "relevance": (courses.c.created_at.desc(), courses.c.id),  # after the rank, when searching
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
    order = list(SORTS[query.sort])
    if query.text:
        matched, rank = searched(conn, query.text)
        filters.append(matched)
        if query.sort == "relevance":
            order.insert(0, rank)
    total = conn.execute(select(func.count()).select_from(courses).where(*filters)).scalar_one()
    rows = conn.execute(
        select(courses, users.c.name.label("instructor_name"))
        .outerjoin(users, users.c.id == courses.c.instructor_id)
        .where(*filters)
        .order_by(*order)
        .limit(query.page_size)
        .offset((query.page - 1) * query.page_size)
    )
    return CatalogPage(
        courses=[summary(r) for r in rows], page=query.page, page_size=query.page_size, total=total
    )


def searched(conn: Connection, typed: str) -> tuple[ColumnElement[bool], ColumnElement[Any]]:
    """The courses whose title, category or description hold every word typed (the last may
    be the start of a word), and how well each matches, best first; see
    projections.migrations for the indexes. Only letters and digits count: nothing typed is
    ever read as search syntax, and a search of no words matches no course."""
    words = re.findall(r"[^\W_]+", typed.lower())
    if not words:
        return false(), courses.c.id
    if conn.dialect.name == "postgresql":
        terms = " & ".join(
            f"{word}:*" if i == len(words) - 1 else word for i, word in enumerate(words)
        )
        wanted = func.to_tsquery("english", terms)
        search = literal_column("courses.search")
        return search.op("@@")(wanted), func.ts_rank(search, wanted).desc()
    terms = " AND ".join(
        f'"{word}"*' if i == len(words) - 1 else f'"{word}"' for i, word in enumerate(words)
    )
    found = (
        sql(
            # Weighted as PostgreSQL's: the title over the category over the description.
            "SELECT rowid AS rid, bm25(courses_search, 10.0, 4.0, 1.0) AS score "
            "FROM courses_search "
            "WHERE courses_search MATCH :terms"
        )
        .bindparams(terms=terms)
        .columns(rid=Integer, score=Float)
        .subquery()
    )
    rowid = literal_column("courses.rowid")
    score = select(found.c.score).where(found.c.rid == rowid).scalar_subquery()
    return rowid.in_(select(found.c.rid)), score


def summary(row: Any) -> CourseSummaryView:
    return CourseSummaryView(
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


def structure(
    row: Any, full: bool, unlocking: Unlocking = NOTHING_LOCKED, enrolling: Lock = OPEN
) -> CourseStructureView:
    """The ordered structure; ``full`` includes drafts (for the owner and admins), and
    ``unlocking``/``enrolling`` are the caller's locks (none for the owner and admins)."""
    modules = row.structure if full else published_only(row.structure)
    return CourseStructureView(
        course_id=row.id,
        title=row.title,
        status=row.status,
        instructor_id=row.instructor_id,
        sequential=bool(row.sequential),  # null in rows projected before courses had rules
        prerequisite_course_ids=row.prerequisite_course_ids or [],
        locked=enrolling.locked,
        unlocked_by=unlocked_by(enrolling),
        modules=[module_view(i, m, unlocking) for i, m in enumerate(modules, 1)],
    )


def module_view(order: int, module: dict[str, Any], unlocking: Unlocking) -> ModuleView:
    lock = unlocking.module(module["id"])
    return ModuleView(
        id=module["id"],
        title=module["title"],
        order=order,
        status=module["status"],
        prerequisite_module_ids=module.get("prerequisiteModuleIds", []),
        locked=lock.locked,
        unlocked_by=unlocked_by(lock),
        lessons=[lesson_view(j, x, unlocking) for j, x in enumerate(module["lessons"], 1)],
    )


def lesson_view(order: int, lesson: dict[str, Any], unlocking: Unlocking) -> LessonView:
    lock = unlocking.lesson(lesson["id"])
    return LessonView(
        order=order,
        **{k: lesson[k] for k in ("id", "title", "type", "url", "content", "status")},
        # Documents written before lessons had a duration lack the key.
        duration_seconds=lesson.get("durationSeconds"),
        locked=lock.locked,
        unlocked_by=unlocked_by(lock),
    )
