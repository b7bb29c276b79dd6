"""Coupons through the bus: admins issue, change and deactivate them; checkouts hold, redeem
and release their uses; checking a coupon or promo code before paying saves nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from commands.coupons.manage_coupon import ChangeCoupon, CreateCoupon, DeactivateCoupon
from commands.payments.card_charges import PaymentDeclinedError
from commands.payments.check_discounts import ValidateCoupon, ValidatePromo
from commands.payments.ports import PromoInvalidError
from domain.actor import Actor
from domain.commerce.coupon import CouponExistsError, CouponInvalidError
from domain.commerce.coupon_usage import UsageType
from domain.commerce.payment_terms import Status
from domain.commerce.pricing import Discount
from domain.errors import ForbiddenError, InvalidInputError
from ops.bootstrap import Campus
from tests.unit.bus import (
    DECLINED_CARD,
    Course,
    admin,
    instructor,
    pay_by_card,
    person,
    published_course,
    window,
)

PRICE = 500_000
HALF = Discount(basis_points=5000)


@pytest.fixture
def root(campus: Campus) -> Actor:
    return admin(campus)


@pytest.fixture
def course(campus: Campus) -> Course:
    return published_course(campus, instructor(campus), price=PRICE)


def issue(campus: Campus, root: Actor, code: str = "HALF", **limits) -> None:
    campus.bus.handle(CreateCoupon(root, code, limits.pop("discount", HALF), *window(), **limits))


def test_only_admins_issue_coupons(campus):
    with pytest.raises(ForbiddenError):
        issue(campus, instructor(campus))


def test_a_coupon_code_is_issued_once_whatever_its_case(campus, root):
    issue(campus, root, "half")
    with pytest.raises(CouponExistsError):
        issue(campus, root, " HALF ")


def test_a_coupon_takes_its_discount_off_the_price_charged(campus, root, course):
    issue(campus, root)
    payment = pay_by_card(campus, person(campus, "Ada"), course, coupon_code="half")
    assert (payment.status, payment.amount) == (Status.SUCCEEDED, PRICE // 2)


def test_a_coupons_use_limit_is_never_exceeded(campus, root, course):
    issue(campus, root, max_redemptions=1)
    pay_by_card(campus, person(campus, "Ada"), course, coupon_code="HALF")
    with pytest.raises(CouponInvalidError):
        pay_by_card(campus, person(campus, "Bob"), course, coupon_code="HALF")
    assert campus.apps["commerce"].get_coupon("HALF").redemptions == 1


def test_a_once_per_customer_coupon_is_not_used_twice_by_one_learner(campus, root, course):
    issue(campus, root, usage_type=UsageType.ONCE_PER_CUSTOMER)
    ada = person(campus, "Ada")
    pay_by_card(campus, ada, course, coupon_code="HALF")
    other = published_course(campus, course.owner, price=PRICE)
    with pytest.raises(CouponInvalidError):
        pay_by_card(campus, ada, other, coupon_code="HALF")


def test_a_declined_checkout_gives_its_coupon_use_back(campus, root, course):
    issue(campus, root, usage_type=UsageType.SINGLE_USE)
    with pytest.raises(PaymentDeclinedError):
        pay_by_card(campus, person(campus, "Ada"), course, DECLINED_CARD, coupon_code="HALF")
    assert campus.apps["commerce"].get_coupon("HALF").uses == 0
    assert pay_by_card(campus, person(campus, "Bob"), course, coupon_code="HALF").amount == (
        PRICE // 2
    )


def test_a_coupon_for_one_course_does_not_apply_to_another(campus, root, course):
    issue(campus, root, course_id=course.id)
    other = published_course(campus, course.owner, price=PRICE)
    with pytest.raises(CouponInvalidError):
        pay_by_card(campus, person(campus, "Ada"), other, coupon_code="HALF")


def test_a_full_discount_succeeds_without_charging_a_card(campus, root, course):
    issue(campus, root, "FREE", discount=Discount(basis_points=10_000))
    payment = pay_by_card(campus, person(campus, "Ada"), course, coupon_code="FREE")
    assert (payment.status, payment.amount) == (Status.SUCCEEDED, 0)
    assert campus.cards.charges == 0


def test_a_deactivated_coupon_is_refused_at_checkout(campus, root, course):
    issue(campus, root)
    campus.bus.handle(DeactivateCoupon(root, "half"))
    with pytest.raises(CouponInvalidError):
        pay_by_card(campus, person(campus, "Ada"), course, coupon_code="HALF")


def test_a_coupons_limit_cannot_go_below_the_uses_already_made(campus, root, course):
    issue(campus, root)
    pay_by_card(campus, person(campus, "Ada"), course, coupon_code="HALF")
    pay_by_card(campus, person(campus, "Bob"), course, coupon_code="HALF")
    with pytest.raises(InvalidInputError):
        campus.bus.handle(ChangeCoupon(root, "HALF", {"max_redemptions": 1}))
    assert campus.apps["commerce"].get_coupon("HALF").max_redemptions is None


def test_an_expired_coupon_made_valid_again_applies(campus, root, course):
    issue(campus, root)
    start, end = window()
    campus.bus.handle(ChangeCoupon(root, "HALF", {"valid_to": start + timedelta(hours=1)}))
    with pytest.raises(CouponInvalidError):
        pay_by_card(campus, person(campus, "Ada"), course, coupon_code="HALF")
    campus.bus.handle(ChangeCoupon(root, "HALF", {"valid_to": end}))
    assert pay_by_card(campus, person(campus, "Bob"), course, coupon_code="HALF").amount == (
        PRICE // 2
    )


def test_a_coupons_code_and_discount_cannot_be_changed(campus, root):
    issue(campus, root)
    with pytest.raises(InvalidInputError):
        campus.bus.handle(ChangeCoupon(root, "HALF", {"discount": Discount(basis_points=9000)}))


def test_checking_a_coupon_shows_the_price_and_holds_no_use(campus, root, course):
    issue(campus, root, usage_type=UsageType.SINGLE_USE)
    ada = person(campus, "Ada")
    check = campus.bus.handle(ValidateCoupon(ada, "half", course.id))
    assert (check.discount, check.price.total) == (HALF, PRICE // 2)
    assert campus.apps["commerce"].get_coupon("HALF").uses == 0


def test_checking_a_coupon_used_up_says_it_no_longer_applies(campus, root, course):
    issue(campus, root, usage_type=UsageType.SINGLE_USE)
    pay_by_card(campus, person(campus, "Ada"), course, coupon_code="HALF")
    with pytest.raises(CouponInvalidError):
        campus.bus.handle(ValidateCoupon(person(campus, "Bob"), "HALF", course.id))


def promo_file(campus: Campus, *codes: dict) -> None:
    path = campus.settings.data_dir / "promo-codes.json"
    path.write_text(json.dumps({"promoCodes": list(codes)}))


def test_checking_a_promo_code_with_a_coupon_prices_both_coupon_first(campus, root, course):
    issue(campus, root)
    promo_file(campus, {"code": "TENOFF", "discountAmount": 10_000, "currency": "NGN"})
    check = campus.bus.handle(ValidatePromo(person(campus, "Ada"), "tenoff", course.id, "HALF"))
    assert check.price.total == PRICE // 2 - 10_000


def test_a_promo_code_for_another_course_is_refused(campus, course):
    other = published_course(campus, course.owner, price=PRICE)
    promo_file(campus, {"code": "ONLY", "discountPercentage": 10, "courseIds": [str(other.id)]})
    with pytest.raises(PromoInvalidError):
        campus.bus.handle(ValidatePromo(person(campus, "Ada"), "ONLY", course.id))
