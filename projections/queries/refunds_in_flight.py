"""Which payments hold a refund claimed before a moment and never settled, from the payments
read model (the ``RefundsInFlight`` port of the refund reconciler)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Engine, func, select

from projections.payments import payments
from projections.queries.idle_enrollments import as_utc


class RefundsInFlightQuery:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, started_before: datetime) -> list[UUID]:
        started = payments.c.refund_started_at
        # SQLite compares UTC wall times.
        query = select(payments.c.payment_id).where(started <= started_before.astimezone(UTC))
        with self.engine.connect() as conn:
            return [UUID(payment_id) for payment_id in conn.execute(query).scalars()]


def refunds_in_progress(engine: Engine) -> tuple[int, datetime | None]:
    """How many refunds are in flight, and when the oldest was claimed (in UTC)."""
    started = payments.c.refund_started_at
    query = select(func.count(), func.min(started)).where(started.is_not(None))
    with engine.connect() as conn:
        count, oldest = conn.execute(query).one()
    return count, None if oldest is None else as_utc(oldest)
