"""Queries on the peer reviews read model: a submitter's reviews and what they add up to."""

from __future__ import annotations

from statistics import fmean, median
from typing import Any

from sqlalchemy import Connection, select

from domain.reviews.review_assignment import AssignmentStatus
from projections.catalog import courses
from projections.peer_reviews import review_assignments
from read_api.queries.users import iso_utc
from schemas.peer_reviews import ReviewView, SubmitterReviews


def reviews_of(
    conn: Connection,
    submitter_id: str,
    instructor_id: str | None = None,
    course_id: str | None = None,
    module_id: str | None = None,
) -> list[Any]:
    """Completed reviews of the submitter's work, oldest first; ``instructor_id`` keeps only
    those of courses they teach."""
    query = select(review_assignments).where(
        review_assignments.c.submitter_id == submitter_id,
        review_assignments.c.status == AssignmentStatus.COMPLETED.value,
    )
    if instructor_id is not None:
        taught = select(courses.c.id).where(courses.c.instructor_id == instructor_id)
        query = query.where(review_assignments.c.course_id.in_(taught))
    if course_id is not None:
        query = query.where(review_assignments.c.course_id == course_id)
    if module_id is not None:
        query = query.where(review_assignments.c.module_id == module_id)
    order = (review_assignments.c.submitted_at, review_assignments.c.assignment_id)
    return list(conn.execute(query.order_by(*order)))


def summary(rows: list[Any]) -> SubmitterReviews:
    reviews = [view(r) for r in rows]
    scores: dict[str, list[float]] = {}
    for review in reviews:
        for name, score in review.criteria.items():
            scores.setdefault(name, []).append(score)
    return SubmitterReviews(
        reviews=reviews,
        average_rating=round(fmean(r.rating for r in reviews), 2),
        criteria_medians={name: median(s) for name, s in scores.items()} if scores else None,
    )


def view(row: Any) -> ReviewView:
    return ReviewView(
        review_id=row.review_id,
        assignment_id=row.assignment_id,
        reviewer_id=row.reviewer_id,
        course_id=row.course_id,
        module_id=row.module_id,
        feedback=row.feedback,
        rating=row.rating,
        criteria=row.criteria or {},
        submitted_at=iso_utc(row.submitted_at),
    )
