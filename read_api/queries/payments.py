"""Queries on the payments read model: a page of payment history, newest first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from projections.payments import payments
from schemas.base import iso_utc
from schemas.payment_listings import CardSummaryView, PaymentListingView, PaymentPage


def payment_page(
    conn: Connection, page: int, page_size: int, user_id: str | None, status: str | None
) -> PaymentPage:
    """``user_id`` None lists everyone's payments (for admins)."""
    filters = []
    if user_id:
        filters.append(payments.c.user_id == user_id)
    if status:
        filters.append(payments.c.status == status)
    total = conn.execute(select(func.count()).select_from(payments).where(*filters)).scalar_one()
    rows = conn.execute(
        select(payments)
        .where(*filters)
        .order_by(payments.c.created_at.desc(), payments.c.payment_id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return PaymentPage(
        payments=[listing(r) for r in rows], page=page, page_size=page_size, total=total
    )


def listing(row: Any) -> PaymentListingView:
    card = CardSummaryView(brand=row.card_brand, last4=row.card_last4) if row.card_last4 else None
    return PaymentListingView(
        payment_id=row.payment_id,
        transaction_id=row.transaction_id,
        course_id=row.course_id,
        user_id=row.user_id,
        method=row.method,
        status=row.status,
        original_amount=row.original_amount / 100,
        discounted_amount=row.amount / 100,
        refunded_amount=row.refunded_amount / 100,
        refund_in_progress=(row.refund_in_progress or 0) / 100,
        currency=row.currency,
        coupon_code=row.coupon_code,
        promo_code=row.promo_code,
        card=card,
        payment_date=iso_utc(row.payment_date) if row.payment_date else None,
        created_at=iso_utc(row.created_at),
    )
