"""How often a coupon may be used, apart from the Coupon aggregate: admins choose it when they
issue one, through the API, which speaks of it without reaching into the aggregate."""

from __future__ import annotations

from enum import StrEnum


class UsageType(StrEnum):
    """How often a coupon may be used: once in all, once per customer, or without a rule."""

    SINGLE_USE = "single_use"
    ONCE_PER_CUSTOMER = "once_per_customer"
    MULTI_USE = "multi_use"
