"""Requests and answers of the admin coupon endpoints (spec "Coupons")."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, Field, model_validator

from schemas.base import CamelModel, Moment
from schemas.courses import Currency, two_decimals
from schemas.payments import Code

Percentage = Annotated[Decimal, Field(gt=0, le=100), AfterValidator(two_decimals)]
Amount = Annotated[Decimal, Field(gt=0, le=100_000_000), AfterValidator(two_decimals)]
Limit = Annotated[int, Field(ge=1, le=100_000_000)]
UsageType = Literal["single_use", "once_per_customer", "multi_use"]


class CouponCreateRequest(CamelModel):
    code: Code
    discount_percentage: Percentage | None = None
    discount_amount: Amount | None = None  # a fixed discount, in major units
    currency: Currency = "NGN"
    valid_from: datetime | None = None  # default: now
    valid_to: datetime
    course_id: UUID | None = None
    usage_type: UsageType = "multi_use"
    max_redemptions: Limit | None = None
    per_user_limit: Limit | None = None

    @model_validator(mode="after")
    def one_discount(self) -> CouponCreateRequest:
        if (self.discount_percentage is None) == (self.discount_amount is None):
            raise ValueError("give either discountPercentage or discountAmount")
        return self


class CouponUpdateRequest(CamelModel):
    """Only the fields sent change; ``maxRedemptions: null`` lifts the maximum."""

    valid_from: datetime | None = None
    valid_to: datetime | None = None
    is_active: bool | None = None
    max_redemptions: Limit | None = None
    per_user_limit: Limit | None = None


class CouponResponse(CamelModel):
    coupon_id: str
    code: str
    discount_percentage: float | None
    discount_amount: float | None
    currency: str | None
    valid_from: Moment
    valid_to: Moment
    is_active: bool
    course_id: str | None
    usage_type: str
    max_redemptions: int | None
    per_user_limit: int | None
    redemptions: int
    in_flight: int
    message: str | None = None
