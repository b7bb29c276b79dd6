"""Which review queues hold a lease that ran out, from the peer reviews read model (the
``LapsedQueues`` port of the lease sweep)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Engine, select

from domain.reviews.review_terms import AssignmentStatus
from projections.peer_reviews import review_assignments


class LapsedQueuesQuery:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, now: datetime) -> list[tuple[UUID, str]]:
        at = review_assignments.c
        query = (
            select(at.course_id, at.module_id)
            .where(
                at.status == AssignmentStatus.PENDING.value,
                at.expires_at <= now.astimezone(UTC),  # SQLite compares UTC wall times
            )
            .distinct()
        )
        with self.engine.connect() as conn:
            return [(UUID(course), module) for course, module in conn.execute(query)]
