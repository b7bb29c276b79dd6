"""The Coupon aggregate's rules, in memory: codes, windows, limits, and every use of it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.commerce.coupon import Coupon, CouponInvalidError
from domain.commerce.coupon_usage import UsageType
from domain.commerce.pricing import Discount
from domain.errors import InvalidInputError

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
COURSE, OTHER_COURSE = uuid.uuid4(), uuid.uuid4()
ADA, BOLA = uuid.uuid4(), uuid.uuid4()
ADMIN = uuid.uuid4()


def issue(
    code: str = "SPRING-25",
    valid_from: datetime = NOW - timedelta(days=1),
    valid_to: datetime = NOW + timedelta(days=30),
    course_id: uuid.UUID | None = None,
    usage_type: UsageType = UsageType.MULTI_USE,
    max_redemptions: int | None = None,
    per_user_limit: int | None = None,
) -> Coupon:
    return Coupon.issue(
        code,
        Discount.percentage(10),
        valid_from,
        valid_to,
        course_id,
        usage_type,
        max_redemptions,
        per_user_limit,
        ADMIN,
    )


def hold(coupon: Coupon, user_id: uuid.UUID = ADA) -> uuid.UUID:
    payment_id = uuid.uuid4()
    coupon.hold(payment_id, COURSE, user_id, NOW)
    return payment_id


def event_names(coupon: Coupon) -> list[str]:
    return [type(e).__name__ for e in coupon.collect_events()]


def test_issuing_upper_cases_and_trims_the_code():
    assert issue(" spring-25 ").code == "SPRING-25"


def test_a_coupon_id_ignores_the_case_of_the_code():
    assert Coupon.create_id("spring-25") == Coupon.create_id("SPRING-25")


def test_different_codes_have_different_ids():
    assert Coupon.create_id("SPRING-25") != Coupon.create_id("SPRING-26")


@pytest.mark.parametrize("code", ["", "   ", "--", "SPRING 25", "50%OFF", "A" * 65])
def test_a_code_that_is_not_1_to_64_letters_digits_dashes_or_underscores_is_refused(code):
    with pytest.raises(InvalidInputError):
        issue(code)


def test_a_code_of_64_characters_is_accepted():
    assert issue("A" * 64).code == "A" * 64


@pytest.mark.parametrize("naive", ["valid_from", "valid_to"])
def test_a_window_without_a_time_zone_is_refused(naive):
    window = {"valid_from": NOW, "valid_to": NOW + timedelta(days=1)}
    window[naive] = window[naive].replace(tzinfo=None)
    with pytest.raises(InvalidInputError):
        issue(**window)


@pytest.mark.parametrize("length", [timedelta(0), -timedelta(seconds=1)])
def test_a_window_that_does_not_end_after_it_starts_is_refused(length):
    with pytest.raises(InvalidInputError):
        issue(valid_from=NOW, valid_to=NOW + length)


def test_an_applicable_coupon_answers_its_discount():
    assert issue().ensure_applicable(COURSE, ADA, NOW) == Discount.percentage(10)


def test_an_inactive_coupon_is_not_applicable():
    coupon = issue()
    coupon.deactivate()
    with pytest.raises(CouponInvalidError, match="no longer active"):
        coupon.ensure_applicable(COURSE, ADA, NOW)


def test_a_coupon_is_not_applicable_before_its_window():
    coupon = issue(valid_from=NOW + timedelta(seconds=1))
    with pytest.raises(CouponInvalidError, match="not valid yet"):
        coupon.ensure_applicable(COURSE, ADA, NOW)


def test_a_coupon_is_not_applicable_after_its_window():
    coupon = issue(valid_to=NOW - timedelta(seconds=1))
    with pytest.raises(CouponInvalidError, match="expired"):
        coupon.ensure_applicable(COURSE, ADA, NOW)


def test_the_window_includes_both_of_its_ends():
    coupon = issue(valid_from=NOW, valid_to=NOW + timedelta(days=1))
    coupon.ensure_applicable(COURSE, ADA, NOW)
    coupon.ensure_applicable(COURSE, ADA, NOW + timedelta(days=1))


def test_a_coupon_for_one_course_is_not_applicable_to_another():
    coupon = issue(course_id=COURSE)
    with pytest.raises(CouponInvalidError, match="this course"):
        coupon.ensure_applicable(OTHER_COURSE, ADA, NOW)


def test_a_coupon_is_exhausted_when_holds_and_redemptions_reach_the_maximum():
    coupon = issue(max_redemptions=2)
    coupon.redeem(hold(coupon, ADA), ADA)
    hold(coupon, BOLA)
    with pytest.raises(CouponInvalidError, match="fully redeemed"):
        coupon.ensure_applicable(COURSE, uuid.uuid4(), NOW)


def test_a_learner_at_the_per_user_limit_cannot_use_the_coupon_again_but_others_can():
    coupon = issue(per_user_limit=1)
    hold(coupon, ADA)
    with pytest.raises(CouponInvalidError, match="already used"):
        coupon.ensure_applicable(COURSE, ADA, NOW)
    coupon.ensure_applicable(COURSE, BOLA, NOW)


def test_holding_a_use_checks_that_the_coupon_is_applicable():
    coupon = issue(course_id=COURSE)
    with pytest.raises(CouponInvalidError):
        coupon.hold(uuid.uuid4(), OTHER_COURSE, ADA, NOW)
    assert coupon.uses == 0


def test_a_single_use_coupon_may_be_used_once_in_all_and_once_per_learner():
    coupon = issue(usage_type=UsageType.SINGLE_USE, max_redemptions=5, per_user_limit=3)

    assert (coupon.max_redemptions, coupon.per_user_limit) == (1, 1)


def test_a_once_per_customer_coupon_may_be_used_once_per_learner_and_keeps_its_maximum():
    coupon = issue(usage_type=UsageType.ONCE_PER_CUSTOMER, max_redemptions=5, per_user_limit=3)

    assert (coupon.max_redemptions, coupon.per_user_limit) == (5, 1)


@pytest.mark.parametrize("limits", [{"max_redemptions": 0}, {"per_user_limit": 0}])
def test_limits_below_one_are_refused(limits):
    with pytest.raises(InvalidInputError):
        issue(**limits)


def test_redeeming_a_held_use_counts_one_redemption_and_frees_nothing():
    coupon = issue()
    coupon.redeem(hold(coupon), ADA)

    assert (coupon.uses, coupon.redemptions, coupon.uses_of(ADA)) == (1, 1, 1)
    assert coupon.holds == {}


def test_releasing_a_held_use_returns_it_to_the_pool():
    coupon = issue(usage_type=UsageType.SINGLE_USE)
    coupon.release(hold(coupon))

    assert (coupon.uses, coupon.redemptions, coupon.uses_of(ADA)) == (0, 0, 0)
    coupon.ensure_applicable(COURSE, ADA, NOW)


def test_redeeming_twice_records_one_redemption():
    coupon = issue()
    payment_id = hold(coupon)
    coupon.collect_events()
    version = coupon.version
    coupon.redeem(payment_id, ADA)
    coupon.redeem(payment_id, ADA)

    assert event_names(coupon) == ["Redeemed"]
    assert (coupon.version, coupon.redemptions) == (version + 1, 1)


def test_releasing_twice_records_one_release():
    coupon = issue()
    payment_id = hold(coupon)
    coupon.collect_events()
    version = coupon.version
    coupon.release(payment_id)
    coupon.release(payment_id)

    assert event_names(coupon) == ["Released"]
    assert (coupon.version, coupon.uses) == (version + 1, 0)


def test_releasing_a_redeemed_use_records_nothing():
    coupon = issue()
    payment_id = hold(coupon)
    coupon.redeem(payment_id, ADA)
    coupon.collect_events()
    coupon.release(payment_id)

    assert event_names(coupon) == []
    assert coupon.redemptions == 1


def test_a_payment_settled_after_its_hold_was_released_is_still_redeemed():
    coupon = issue()
    payment_id = hold(coupon)
    coupon.release(payment_id)
    coupon.redeem(payment_id, ADA)

    assert (coupon.uses, coupon.redemptions, coupon.uses_of(ADA)) == (1, 1, 1)


def test_changing_the_maximum_below_the_uses_so_far_is_refused():
    coupon = issue()
    coupon.redeem(hold(coupon, ADA), ADA)
    hold(coupon, BOLA)
    with pytest.raises(InvalidInputError):
        coupon.change(coupon.valid_from, coupon.valid_to, True, 1, None)


def test_changing_the_maximum_to_the_uses_so_far_is_accepted():
    coupon = issue()
    hold(coupon, ADA)
    hold(coupon, BOLA)
    coupon.change(coupon.valid_from, coupon.valid_to, True, 2, None)

    assert coupon.max_redemptions == 2


def test_deactivating_twice_records_one_event():
    coupon = issue()
    coupon.collect_events()
    coupon.deactivate()
    coupon.deactivate()

    assert event_names(coupon) == ["Deactivated"]
    assert not coupon.is_active
