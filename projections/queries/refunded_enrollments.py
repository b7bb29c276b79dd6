"""Which payments were refunded in full while the enrollment they paid for still stands, from
the payments and enrollments read models (the ``RefundedEnrollments`` port of the sweep that
drops such enrollments)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Engine, select

from domain.commerce.payment_terms import PUBLIC_STATUS, Status
from domain.learning.enrollment_terms import Status as Progress
from projections.enrollments import enrollments
from projections.payments import payments


class RefundedEnrollmentsQuery:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self) -> list[UUID]:
        query = (
            select(payments.c.payment_id)
            .join(  # on the learner too, whose index finds their enrollments
                enrollments,
                (enrollments.c.user_id == payments.c.user_id)
                & (enrollments.c.course_id == payments.c.course_id)
                & (enrollments.c.payment_id == payments.c.payment_id),
            )
            .where(
                payments.c.status == PUBLIC_STATUS[Status.REFUNDED],
                enrollments.c.status != Progress.DROPPED.value,
            )
        )
        with self.engine.connect() as conn:
            return [UUID(payment_id) for payment_id in conn.execute(query).scalars()]
