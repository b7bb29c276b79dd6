"""Learners' ratings of courses: each enrollment's current stars, behind the catalog's rating.

A learner rates a course once and may change their mind, so a rating is one row per enrollment
holding its latest stars. A course's rating is the average of its rows, recounted from the
table after each batch writes it: exact however often a learner changes their stars, and
however the events of courses and enrollments interleave. The catalog projection owns these
rows together with the courses they rate, so both are rebuilt, cached and awaited as one.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, DateTime, Integer, String, Table, func, select

from projections.batch import TableBatch, chunks
from projections.metadata import metadata
from schemas.events import PublishedEvent
from schemas.published.learning import EnrollmentRated

course_ratings = Table(
    "course_ratings",
    metadata,
    Column("enrollment_id", String(36), primary_key=True),  # one learner in one course
    Column("course_id", String(36), nullable=False, index=True),
    Column("stars", Integer, nullable=False),
    Column("rated_at", DateTime(timezone=True), nullable=False),
)

Stats = dict[str, tuple[float, int]]  # course id: (average stars, ratings)


class RatingsBatch:
    """The ratings a batch gives, and the courses whose average must be counted again."""

    def __init__(self) -> None:
        self.ratings = TableBatch(course_ratings, key="enrollment_id")  # the latest of each
        self.courses: set[str] = set()

    def rate(self, event: PublishedEvent) -> None:
        rated = EnrollmentRated.of(event)
        course_id = rated.course_id
        self.courses.add(course_id)
        self.ratings.put(
            {
                "enrollment_id": event.aggregate_id,
                "course_id": course_id,
                "stars": rated.stars,
                "rated_at": event.timestamp,
            }
        )

    def recount(self, course_id: str) -> None:
        """A course created now may have had its ratings projected before it."""
        self.courses.add(course_id)

    def flush(self, conn: Connection) -> Stats:
        """Write the ratings; answer the average and count of every course they touch."""
        self.ratings.flush(conn)
        return rating_stats(conn, sorted(self.courses))


def rating_stats(conn: Connection, course_ids: list[str]) -> Stats:
    stats: Stats = {}
    for chunk in chunks(course_ids):
        rows = conn.execute(
            select(course_ratings.c.course_id, func.avg(course_ratings.c.stars), func.count())
            .where(course_ratings.c.course_id.in_(chunk))
            .group_by(course_ratings.c.course_id)
        )
        stats.update({course_id: (round(float(avg), 2), count) for course_id, avg, count in rows})
    return stats
