"""Each use of a coupon, by payment: the bookkeeping behind a coupon's usage counts.

A use is one row keyed by (coupon, payment) whose state is what the last event about it said:
held, redeemed or released. Counts are taken from these rows after a batch writes them, so
they are exact by construction: an event that names a use twice sets the same state twice
instead of counting it twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Index,
    String,
    Table,
    and_,
    bindparam,
    func,
    insert,
    select,
    update,
)

from projections.batch import chunks
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
UseKey = tuple[str, str]  # coupon id, payment id
CouponUse = CouponHeld | CouponRedeemed | CouponReleased  # the same fields, a different state


class UsesBatch:
    """The last state of each use a batch names, written as inserts or updates at the end."""

    def __init__(self) -> None:
        self.rows: dict[UseKey, dict[str, Any]] = {}

    def set(self, event: PublishedEvent, use: CouponUse, state: str) -> None:
        self.rows[(event.aggregate_id, use.payment_id)] = {
            "coupon_id": event.aggregate_id,
            "payment_id": use.payment_id,
            "user_id": use.user_id,
            "state": state,
            "updated_at": event.timestamp,
        }

    def flush(self, conn: Connection) -> None:
        stored = existing(conn, self.rows)
        new = [row for key, row in self.rows.items() if key not in stored]
        if new:
            conn.execute(insert(coupon_uses), new)
        changed = [
            {**row, "_coupon": key[0], "_payment": key[1]}
            for key, row in self.rows.items()
            if key in stored
        ]
        if changed:
            conn.execute(SET_USE, changed)


SET_USE = (
    update(coupon_uses)
    .where(
        and_(
            coupon_uses.c.coupon_id == bindparam("_coupon"),
            coupon_uses.c.payment_id == bindparam("_payment"),
        )
    )
    .values(
        user_id=bindparam("user_id"),
        state=bindparam("state"),
        updated_at=bindparam("updated_at"),
    )
)


def existing(conn: Connection, keys: Iterable[UseKey]) -> set[UseKey]:
    """Which of these uses already have a row (a hold from an earlier batch, say)."""
    wanted, found = set(keys), set()
    for chunk in chunks({payment_id for _, payment_id in wanted}):
        rows = conn.execute(
            select(coupon_uses.c.coupon_id, coupon_uses.c.payment_id).where(
                coupon_uses.c.payment_id.in_(chunk)
            )
        )
        found.update((r.coupon_id, r.payment_id) for r in rows)
    return found & wanted


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
