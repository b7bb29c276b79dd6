"""The coupons read model: each coupon's terms, and how many of its uses are redeemed or held.

``redemptions`` and ``holds`` are counted from ``coupon_uses`` (one row per payment that used
the coupon) in the same transaction as the events that changed them, so they stay exact
however often a use is held, redeemed or released.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    String,
    Table,
)

from projections.batch import TableBatch
from projections.coupon_uses import (
    HELD,
    REDEEMED,
    RELEASED,
    CouponUse,
    coupon_uses,
    use_counts,
    use_row,
    uses_batch,
)
from projections.metadata import metadata
from schemas.events import PublishedEvent
from schemas.published.commerce import (
    CouponChanged,
    CouponCreated,
    CouponDeactivated,
    CouponHeld,
    CouponRedeemed,
    CouponReleased,
)

coupons = Table(
    "coupons",
    metadata,
    Column("coupon_id", String(36), primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("discount_basis_points", Integer),  # 1,250 is 12.5 %; null for a fixed amount
    Column("discount_amount", BigInteger),  # minor units of ``currency``
    Column("currency", String(3)),
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Column("valid_to", DateTime(timezone=True), nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("course_id", String(36)),
    Column("usage_type", String(24), nullable=False),
    Column("max_redemptions", Integer),
    Column("per_user_limit", Integer),
    Column("redemptions", Integer, nullable=False),
    Column("holds", Integer, nullable=False),
    Column("created_by", String(36), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_coupons_active_created", "is_active", "created_at"),
    Index("ix_coupons_created", "created_at"),
)


class CouponsBatch:
    def __init__(self) -> None:
        self.coupons = TableBatch(coupons, key="coupon_id")
        self.uses = uses_batch()
        self.used: set[str] = set()  # the coupons whose counts the uses change

    def flush(self, conn: Connection) -> None:
        self.uses.flush(conn)
        for coupon_id, counts in use_counts(conn, sorted(self.used)).items():
            self.coupons.update(coupon_id, counts)
        self.coupons.flush(conn)


def moment(value: str) -> datetime:
    """In UTC: SQLite keeps a datetime's wall time and drops its offset."""
    return datetime.fromisoformat(value).astimezone(UTC)


def created(event: PublishedEvent, batch: CouponsBatch) -> None:
    data = CouponCreated.of(event)
    batch.coupons.insert(
        {
            "coupon_id": event.aggregate_id,
            "code": data.code,
            "discount_basis_points": data.discount_basis_points,
            "discount_amount": data.discount_amount,
            "currency": data.currency,
            "valid_from": moment(data.valid_from),
            "valid_to": moment(data.valid_to),
            "is_active": True,
            "course_id": data.course_id,
            "usage_type": data.usage_type,
            "max_redemptions": data.max_redemptions,
            "per_user_limit": data.per_user_limit,
            "redemptions": 0,
            "holds": 0,
            "created_by": data.created_by,
            "created_at": event.timestamp,
            "updated_at": event.timestamp,
            "version": event.aggregate_version,
        }
    )


def changed(event: PublishedEvent, batch: CouponsBatch) -> None:
    data = CouponChanged.of(event)
    touched(event, batch)
    batch.coupons.update(
        event.aggregate_id,
        {
            "valid_from": moment(data.valid_from),
            "valid_to": moment(data.valid_to),
            "is_active": data.is_active,
            "max_redemptions": data.max_redemptions,
            "per_user_limit": data.per_user_limit,
        },
    )


def deactivated(event: PublishedEvent, batch: CouponsBatch) -> None:
    touched(event, batch)
    batch.coupons.update(event.aggregate_id, {"is_active": False})


def use_becomes(
    model: type[CouponUse], state: str
) -> Callable[[PublishedEvent, CouponsBatch], None]:
    """The handler of ``Held``, ``Redeemed`` or ``Released``: the use of one payment is now
    ``state``; the coupon's counts follow when the batch is written."""

    def handle(event: PublishedEvent, batch: CouponsBatch) -> None:
        touched(event, batch)
        batch.uses.put(use_row(event, model.of(event), state))
        batch.used.add(event.aggregate_id)

    return handle


def touched(event: PublishedEvent, batch: CouponsBatch) -> None:
    batch.coupons.update(
        event.aggregate_id,
        {"updated_at": event.timestamp, "version": event.aggregate_version},
    )


class CouponsProjection:
    name = "coupons"
    tables = (coupons, coupon_uses)
    handlers: dict[str, Callable[[PublishedEvent, CouponsBatch], None]] = {
        CouponCreated.NAME: created,
        CouponChanged.NAME: changed,
        CouponDeactivated.NAME: deactivated,
        CouponHeld.NAME: use_becomes(CouponHeld, HELD),
        CouponRedeemed.NAME: use_becomes(CouponRedeemed, REDEEMED),
        CouponReleased.NAME: use_becomes(CouponReleased, RELEASED),
    }

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        batch = CouponsBatch()
        for event in events:
            if handler := self.handlers.get(event.event_type):
                handler(event, batch)
        batch.flush(conn)
