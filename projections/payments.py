"""The payments read model: one row per payment, for a learner's history and the admin's list.

Amounts are integer minor units, as in the events. Statuses are the words the API answers
(``PUBLIC_STATUS``), so the listing filters on them directly. Of the card only the brand and
the last four digits are kept, from the summary the payment was initiated with.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from domain.commerce.payment_terms import PUBLIC_STATUS, Status, transaction_id_of
from projections.batch import Row, TableBatch
from projections.metadata import metadata
from schemas.events import PublishedEvent
from schemas.published.commerce import (
    PaymentAuthorizationRequested,
    PaymentChargeDeferred,
    PaymentCheckoutStarted,
    PaymentFailed,
    PaymentInitiated,
    PaymentPaidTwice,
    PaymentRefunded,
    PaymentRefundFailed,
    PaymentRefundStarted,
    PaymentSucceeded,
)

payments = Table(
    "payments",
    metadata,
    Column("payment_id", String(36), primary_key=True),
    Column("transaction_id", String(40), nullable=False, unique=True),
    Column("user_id", String(36), nullable=False),
    Column("course_id", String(36), nullable=False),
    Column("method", String(16), nullable=False),
    Column("status", String(24), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("original_amount", BigInteger, nullable=False),
    Column("coupon_discount", BigInteger, nullable=False),
    Column("promo_discount", BigInteger, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("refunded_amount", BigInteger, nullable=False),
    Column("coupon_code", String(64)),
    Column("promo_code", Text),  # the provider's code: no length of ours to rely on
    Column("card_brand", String(20)),
    Column("card_last4", String(4)),
    Column("access_code", Text),
    Column("authorization_url", Text),
    Column("failure_reason", Text),
    Column("payment_date", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    # When the refund in flight was claimed; null when none is: the reconciler's worklist.
    Column("refund_started_at", DateTime(timezone=True)),
    # Minor units claimed for that refund, not yet paid back by the gateway (0 when none is).
    Column("refund_in_progress", BigInteger),
    Index("ix_payments_user_created", "user_id", "created_at"),
    Index("ix_payments_status_created", "status", "created_at"),
    Index("ix_payments_created", "created_at"),
)


def initiated(event: PublishedEvent) -> Row:
    data = PaymentInitiated.of(event)
    card = data.card or {}
    return {
        "payment_id": event.aggregate_id,
        "transaction_id": transaction_id_of(UUID(event.aggregate_id)),
        "user_id": data.user_id,
        "course_id": data.course_id,
        "method": data.method,
        "status": PUBLIC_STATUS[Status.INITIATED],
        "currency": data.currency,
        "original_amount": data.original_amount,
        "coupon_discount": data.coupon_discount,
        "promo_discount": data.promo_discount,
        "amount": data.amount,
        "refunded_amount": 0,
        "coupon_code": data.coupon_code,
        "promo_code": data.promo_code,
        "card_brand": card.get("brand"),
        "card_last4": card.get("last4"),
        "access_code": None,
        "authorization_url": None,
        "failure_reason": None,
        "payment_date": None,
        "created_at": event.timestamp,
        "updated_at": event.timestamp,
        "version": event.aggregate_version,
        "refund_started_at": None,
        "refund_in_progress": 0,
    }


def checkout_started(row: Row, event: PublishedEvent) -> None:
    data = PaymentCheckoutStarted.of(event)
    row.update(
        status=PUBLIC_STATUS[Status.PENDING],
        access_code=data.access_code,
        authorization_url=data.authorization_url,
    )


def succeeded(row: Row, event: PublishedEvent) -> None:
    paid_at = PaymentSucceeded.of(event).paid_at
    row.update(
        status=PUBLIC_STATUS[Status.SUCCEEDED],
        # In UTC: SQLite keeps a datetime's wall time and drops its offset.
        payment_date=datetime.fromisoformat(paid_at).astimezone(UTC),
        failure_reason=None,  # a checkout given up for lost may be paid after all
    )


def failed(row: Row, event: PublishedEvent) -> None:
    reason = PaymentFailed.of(event).reason
    row.update(status=PUBLIC_STATUS[Status.FAILED], failure_reason=reason)


def refunded(row: Row, event: PublishedEvent) -> None:
    row.update(refund_started_at=None, refund_in_progress=0)
    row["refunded_amount"] += PaymentRefunded.of(event).amount
    fully = row["refunded_amount"] >= row["amount"]
    row["status"] = PUBLIC_STATUS[Status.REFUNDED if fully else Status.PARTIALLY_REFUNDED]


def card_pending(row: Row, _: PublishedEvent) -> None:
    """A card charge waits for the payer's next step or for the gateway's decision."""
    row.update(status=PUBLIC_STATUS[Status.PENDING])


def refund_started(row: Row, event: PublishedEvent) -> None:
    """An admin claimed a refund: the money moves only on ``Refunded``."""
    row.update(
        refund_started_at=event.timestamp,
        refund_in_progress=PaymentRefundStarted.of(event).amount,
    )


def owed_back(row: Row, event: PublishedEvent) -> None:
    """A second payment for the course: its refund is claimed as it succeeds."""
    row.update(
        refund_started_at=event.timestamp, refund_in_progress=PaymentPaidTwice.of(event).amount
    )


def refund_withdrawn(row: Row, _: PublishedEvent) -> None:
    row.update(refund_started_at=None, refund_in_progress=0)


ROW_HANDLERS: dict[str, Callable[[Row, PublishedEvent], None]] = {
    PaymentCheckoutStarted.NAME: checkout_started,
    PaymentAuthorizationRequested.NAME: card_pending,
    PaymentChargeDeferred.NAME: card_pending,
    PaymentSucceeded.NAME: succeeded,
    PaymentFailed.NAME: failed,
    PaymentRefundStarted.NAME: refund_started,
    PaymentPaidTwice.NAME: owed_back,
    PaymentRefunded.NAME: refunded,
    PaymentRefundFailed.NAME: refund_withdrawn,
}


class PaymentsProjection:
    name = "payments"
    tables = (payments,)

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        rows = TableBatch(payments, key="payment_id")
        rows.load(conn, {e.aggregate_id for e in events if e.event_type in ROW_HANDLERS})
        for event in events:
            if event.event_type == PaymentInitiated.NAME:
                rows.insert(initiated(event))
            elif handler := ROW_HANDLERS.get(event.event_type):
                row = rows.get(event.aggregate_id)
                handler(row, event)
                row.update(updated_at=event.timestamp, version=event.aggregate_version)
        rows.flush(conn)
