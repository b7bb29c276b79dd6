"""The Coupon aggregate: a discount code admins issue, and every use of it.

Its id is derived from the code folded to one case, so codes are unique case-insensitively
and two admins creating one code race on the event store's key. A checkout *holds* a use
when it starts and the hold becomes a *redemption* when the payment succeeds, or is released
when it fails: counting holds is what keeps a 10-use coupon at exactly 10 when a thousand
checkouts race for it, because every hold is a new version of this one aggregate.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.commerce.coupon_usage import UsageType
from domain.commerce.pricing import Discount
from domain.errors import ConflictError, InvalidInputError, NotFoundError


class CouponNotFoundError(NotFoundError):
    message = "Coupon not found"


class CouponExistsError(ConflictError):
    message = "A coupon with this code already exists"


class CouponInvalidError(InvalidInputError):
    """The coupon exists but cannot be used for this checkout (the message says why)."""

    message = "Invalid coupon code"


def normalize_code(code: str) -> str:
    return code.strip().upper()


class Coupon(Aggregate):
    @staticmethod
    def create_id(code: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"campus:coupon:{normalize_code(code)}")

    @event("Created")
    def __init__(
        self,
        code: str,
        discount_basis_points: int | None,
        discount_amount: int | None,
        currency: str | None,
        valid_from: datetime,
        valid_to: datetime,
        course_id: UUID | None,
        usage_type: str,
        max_redemptions: int | None,
        per_user_limit: int | None,
        created_by: UUID,
    ) -> None:
        self.code = code
        self.discount = Discount(discount_basis_points, discount_amount, currency)
        self.course_id = course_id
        self.valid_from, self.valid_to = valid_from, valid_to
        self.usage_type = usage_type
        self.max_redemptions, self.per_user_limit = max_redemptions, per_user_limit
        self.is_active = True
        # Ids as strings: a popular coupon's state is copied on every load, and copying a
        # UUID costs thirty times a string's.
        self.holds: dict[str, str] = {}  # payment id -> user id, checkouts in flight
        self.redeemed: set[str] = set()  # payment ids
        self.uses_by_user: Counter[str] = Counter()  # holds and redemptions

    @classmethod
    def issue(
        cls,
        code: str,
        discount: Discount,
        valid_from: datetime,
        valid_to: datetime,
        course_id: UUID | None,
        usage_type: UsageType,
        max_redemptions: int | None,
        per_user_limit: int | None,
        created_by: UUID,
    ) -> Coupon:
        """A new, active coupon; the usage type implies its limits unless they are stricter."""
        code = normalize_code(code)
        if not code or len(code) > 64 or not code.replace("-", "").replace("_", "").isalnum():
            raise InvalidInputError("A coupon code is 1-64 letters, digits, '-' or '_'")
        max_redemptions, per_user_limit = limits_of(usage_type, max_redemptions, per_user_limit)
        ensure_window(valid_from, valid_to)
        return cls(
            code,
            discount.basis_points,
            discount.amount,
            discount.currency,
            valid_from,
            valid_to,
            course_id,
            usage_type.value,
            max_redemptions,
            per_user_limit,
            created_by,
        )

    @property
    def uses(self) -> int:
        """Redemptions plus checkouts in flight: what the maximum is checked against."""
        return len(self.holds) + len(self.redeemed)

    @property
    def redemptions(self) -> int:
        return len(self.redeemed)

    def uses_of(self, user_id: UUID) -> int:
        return self.uses_by_user[str(user_id)]

    def ensure_applicable(self, course_id: UUID, user_id: UUID, now: datetime) -> Discount:
        """The discount, if this coupon may be used by ``user_id`` for ``course_id`` now."""
        if not self.is_active:
            raise CouponInvalidError("This coupon is no longer active")
        if now < self.valid_from:
            raise CouponInvalidError("This coupon is not valid yet")
        if now > self.valid_to:
            raise CouponInvalidError("This coupon has expired")
        if self.course_id is not None and self.course_id != course_id:
            raise CouponInvalidError("This coupon does not apply to this course")
        if self.max_redemptions is not None and self.uses >= self.max_redemptions:
            raise CouponInvalidError("This coupon has been fully redeemed")
        if (
            self.per_user_limit is not None
            and self.uses_by_user[str(user_id)] >= self.per_user_limit
        ):
            raise CouponInvalidError("You have already used this coupon")
        return self.discount

    def change(
        self,
        valid_from: datetime,
        valid_to: datetime,
        is_active: bool,
        max_redemptions: int | None,
        per_user_limit: int | None,
    ) -> None:
        """Edit the validity window and limits; a maximum below the uses so far is refused."""
        ensure_window(valid_from, valid_to)
        max_redemptions, per_user_limit = limits_of(
            UsageType(self.usage_type), max_redemptions, per_user_limit
        )
        if max_redemptions is not None and max_redemptions < self.uses:
            raise InvalidInputError(
                f"maxRedemptions cannot go below the {self.uses} uses already made"
            )
        self._change(valid_from, valid_to, is_active, max_redemptions, per_user_limit)

    @event("Changed")
    def _change(
        self,
        valid_from: datetime,
        valid_to: datetime,
        is_active: bool,
        max_redemptions: int | None,
        per_user_limit: int | None,
    ) -> None:
        self.valid_from, self.valid_to, self.is_active = valid_from, valid_to, is_active
        self.max_redemptions, self.per_user_limit = max_redemptions, per_user_limit

    def deactivate(self) -> None:
        if self.is_active:
            self._deactivate()

    @event("Deactivated")
    def _deactivate(self) -> None:
        self.is_active = False

    def hold(self, payment_id: UUID, course_id: UUID, user_id: UUID, now: datetime) -> Discount:
        """Reserve one use for a checkout that is starting; answer the discount it gets."""
        discount = self.ensure_applicable(course_id, user_id, now)
        self._hold(payment_id, user_id)
        return discount

    @event("Held")
    def _hold(self, payment_id: UUID, user_id: UUID) -> None:
        self.holds[str(payment_id)] = str(user_id)
        self.uses_by_user[str(user_id)] += 1

    def redeem(self, payment_id: UUID, user_id: UUID) -> None:
        """The checkout was paid: its use becomes a redemption (once).

        A payment settled after its hold was released (a checkout given up for lost, then
        paid after all) is still redeemed: the learner was charged the discounted price.
        """
        if str(payment_id) not in self.redeemed:
            self._redeem(payment_id, user_id)

    @event("Redeemed")
    def _redeem(self, payment_id: UUID, user_id: UUID) -> None:
        if self.holds.pop(str(payment_id), None) is None:
            self.uses_by_user[str(user_id)] += 1
        self.redeemed.add(str(payment_id))

    def release(self, payment_id: UUID) -> None:
        """The held checkout failed: its use returns to the pool (once)."""
        if str(payment_id) in self.holds:
            self._release(payment_id, UUID(self.holds[str(payment_id)]))

    @event("Released")
    def _release(self, payment_id: UUID, user_id: UUID) -> None:
        del self.holds[str(payment_id)]
        self.uses_by_user[str(user_id)] -= 1


def limits_of(
    usage_type: UsageType, max_redemptions: int | None, per_user_limit: int | None
) -> tuple[int | None, int | None]:
    """Single use means one redemption in all; once per customer, one per learner."""
    if max_redemptions is not None and max_redemptions < 1:
        raise InvalidInputError("maxRedemptions must be at least 1")
    if per_user_limit is not None and per_user_limit < 1:
        raise InvalidInputError("perUserLimit must be at least 1")
    if usage_type is UsageType.SINGLE_USE:
        return 1, 1
    if usage_type is UsageType.ONCE_PER_CUSTOMER:
        return max_redemptions, 1
    return max_redemptions, per_user_limit


def ensure_window(valid_from: datetime, valid_to: datetime) -> None:
    if valid_from.tzinfo is None or valid_to.tzinfo is None:
        raise InvalidInputError("validFrom and validTo need a time zone")
    if valid_to <= valid_from:
        raise InvalidInputError("validTo must be after validFrom")
