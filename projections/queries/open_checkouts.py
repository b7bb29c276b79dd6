"""Which checkouts (Paystack pages and card charges) were started before a moment and are still
open, from the payments read model (the ``OpenCheckouts`` port of the checkout sweep)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Engine, select

from domain.commerce.payment_terms import PUBLIC_STATUS, Status
from projections.payments import payments


class OpenCheckoutsQuery:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, started_before: datetime) -> list[UUID]:
        query = select(payments.c.payment_id).where(
            payments.c.status == PUBLIC_STATUS[Status.PENDING],
            payments.c.created_at <= started_before.astimezone(UTC),  # SQLite compares UTC
        )
        with self.engine.connect() as conn:
            return [UUID(payment_id) for payment_id in conn.execute(query).scalars()]
