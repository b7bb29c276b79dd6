"""The admin's list of coupons with their usage: redeemed, held by checkouts, remaining."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from infra.web.auth import AdminUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.deps import Page, PageSize, ReadDb
from read_api.queries.coupons import coupon_page
from schemas.payment_listings import CouponPage

router = APIRouter(prefix="/api/admin/coupons", tags=["admin"])


@router.get(
    "", dependencies=[Depends(consistent_with("coupons"))], responses=documented(CouponPage)
)
def list_coupons(
    _: AdminUser,
    db: ReadDb,
    page: Page = 1,
    page_size: PageSize = 20,
    active: bool | None = None,
) -> EnvelopeResponse:
    """All coupons, newest first, optionally only the active or the inactive ones."""
    return success(coupon_page(db, page, page_size, active))
