"""Queries on the peer reviews read model: a submitter's reviews, those withheld until the
submitter reviews enough in the module ("must review N"), and what the shown ones add up to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import fmean, median
from typing import Any

from sqlalchemy import Connection, func, select

from domain.reviews.review_terms import AssignmentStatus
from projections.catalog import courses
from projections.peer_reviews import review_assignments, review_modules
from schemas.base import iso_utc
from schemas.peer_reviews import ReviewView, SubmitterReviewsView, WithheldReviewsView

Module = tuple[str, str]  # (course id, module id)


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


def withheld_from(conn: Connection, learner_id: str, rows: list[Any]) -> list[WithheldReviewsView]:
    """The modules of ``rows`` whose reviews the learner may not see yet: they completed fewer
    reviews there than the module requires."""
    waiting = Counter((r.course_id, r.module_id) for r in rows)
    required = reviews_required(conn, set(waiting))
    done = reviews_done(conn, learner_id, {course for course, _ in required})
    return [
        WithheldReviewsView(
            course_id=course,
            module_id=module,
            reviews_required=needed,
            reviews_done=done[course, module],
            reviews_withheld=waiting[course, module],
        )
        for (course, module), needed in sorted(required.items())
        if done[course, module] < needed
    ]


def reviews_required(conn: Connection, modules: set[Module]) -> dict[Module, int]:
    """N of those ``modules`` that require any reviews."""
    if not modules:
        return {}
    query = select(review_modules).where(
        review_modules.c.course_id.in_({course for course, _ in modules}),
        review_modules.c.reviews_required > 0,
    )
    found = {(m.course_id, m.module_id): m.reviews_required for m in conn.execute(query)}
    return {module: n for module, n in found.items() if module in modules}


def reviews_done(conn: Connection, reviewer_id: str, course_ids: set[str]) -> Counter[Module]:
    """How many reviews the reviewer completed in each module of those courses."""
    if not course_ids:
        return Counter()
    at = review_assignments.c
    query = (
        select(at.course_id, at.module_id, func.count())
        .where(
            at.reviewer_id == reviewer_id,
            at.status == AssignmentStatus.COMPLETED.value,
            at.course_id.in_(course_ids),
        )
        .group_by(at.course_id, at.module_id)
    )
    return Counter({(course, module): n for course, module, n in conn.execute(query)})


def summary(rows: list[Any], withheld: Sequence[WithheldReviewsView] = ()) -> SubmitterReviewsView:
    """What the submitter is shown: the reviews outside the withheld modules, and their sums."""
    hidden = {(w.course_id, w.module_id) for w in withheld}
    reviews = [view(r) for r in rows if (r.course_id, r.module_id) not in hidden]
    scores: dict[str, list[float]] = {}
    for review in reviews:
        for name, score in review.criteria.items():
            scores.setdefault(name, []).append(score)
    return SubmitterReviewsView(
        reviews=reviews,
        average_rating=round(fmean(r.rating for r in reviews), 2) if reviews else None,
        criteria_medians={name: median(s) for name, s in scores.items()} if scores else None,
        withheld=list(withheld),
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
