"""Each use of a coupon, by payment: the bookkeeping behind a coupon's usage counts.

A use is one row keyed by (coupon, payment) whose state is what the last event about it said:
held, redeemed or released. Counts are taken from these rows after a batch writes them, so
they are exact by construction: an event that names a use twice sets the same state twice
instead of counting it twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Index,
    String,
    Table,
    func,
    select,
)

from projections.batch import Row, TableBatch, chunks
from projections.metadata import metadata
from schemas.events import PublishedEvent
from schemas.published.commerce import CouponHeld, CouponRedeemed, CouponReleased

coupon_uses = Table(
    "coupon_uses",
    metadata,
    Column("coupon_id", String(36), primary_key=True),
    Column("payment_id", String(36), primary_key=True),
    Column("user_id", String(36), nullable=False),
    Column("state", String(10), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_coupon_uses_payment", "payment_id"),
)

HELD, REDEEMED, RELEASED = "held", "redeemed", "released"
CouponUse = CouponHeld | CouponRedeemed | CouponReleased  # the same fields, a different state


def use_row(event: PublishedEvent, use: CouponUse, state: str) -> Row:
    """The use of one payment as the event leaves it; the last event about it wins."""
    return {
        "coupon_id": event.aggregate_id,
        "payment_id": use.payment_id,
        "user_id": use.user_id,
        "state": state,
        "updated_at": event.timestamp,
    }


def uses_batch() -> TableBatch:
    return TableBatch(coupon_uses, key=("coupon_id", "payment_id"))


def use_counts(conn: Connection, coupon_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """Held and redeemed uses per coupon, as the ``holds`` and ``redemptions`` columns."""
    counts = {c: {"holds": 0, "redemptions": 0} for c in coupon_ids}
    column = {HELD: "holds", REDEEMED: "redemptions"}
    for chunk in chunks(coupon_ids):
        rows = conn.execute(
            select(coupon_uses.c.coupon_id, coupon_uses.c.state, func.count())
            .where(
                coupon_uses.c.coupon_id.in_(chunk),
                coupon_uses.c.state.in_(list(column)),
            )
            .group_by(coupon_uses.c.coupon_id, coupon_uses.c.state)
        )
        for coupon_id, state, count in rows:
            counts[coupon_id][column[state]] = count
    return counts
