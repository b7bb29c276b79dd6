"""Which payments hold a refund claimed before a moment and never settled, from the payments
read model (the ``RefundsInFlight`` port of the refund reconciler)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Engine, select

from projections.payments import payments


class RefundsInFlightQuery:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, started_before: datetime) -> list[UUID]:
        started = payments.c.refund_started_at
        # SQLite compares UTC wall times.
        query = select(payments.c.payment_id).where(started <= started_before.astimezone(UTC))
        with self.engine.connect() as conn:
            return [UUID(payment_id) for payment_id in conn.execute(query).scalars()]
