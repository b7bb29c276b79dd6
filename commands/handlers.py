"""Which handler answers which command: the bus's routing table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from commands.coupons.manage_coupon import (
    ChangeCoupon,
    CreateCoupon,
    DeactivateCoupon,
    change_coupon,
    create_coupon,
    deactivate_coupon,
)
from commands.courses import change_course as course_changes
from commands.courses.author_course import CreateCourse, create_course
from commands.courses.upload_media import UploadMedia, upload_media
from commands.payments.check_discounts import (
    ValidateCoupon,
    ValidatePromo,
    validate_coupon,
    validate_promo,
)
from commands.payments.initiate_payment import InitiatePayment, initiate_payment
from commands.payments.refund_payment import RefundPayment, refund_payment
from commands.payments.settle_payment import (
    ReceivePaystackWebhook,
    RefreshPaymentStatus,
    receive_paystack_webhook,
    refresh_payment_status,
)
from commands.sessions.end_session import EndSession, end_session
from commands.sessions.refresh_session import RefreshSession, refresh_session
from commands.sessions.start_session import StartSession, start_session
from commands.users.administer_user import (
    BlockUser,
    ChangeRole,
    UnblockUser,
    block_user,
    change_role,
    unblock_user,
)
from commands.users.change_password import ChangePassword, change_password
from commands.users.log_in import LogIn, log_in
from commands.users.log_in_with_provider import LogInWithProvider, log_in_with_provider
from commands.users.register_user import RegisterUser, register_user
from commands.users.update_profile import UpdateProfile, update_profile

HANDLERS: dict[type, Callable[..., Any]] = {
    RegisterUser: register_user,
    LogIn: log_in,
    LogInWithProvider: log_in_with_provider,
    UpdateProfile: update_profile,
    ChangePassword: change_password,
    ChangeRole: change_role,
    BlockUser: block_user,
    UnblockUser: unblock_user,
    StartSession: start_session,
    RefreshSession: refresh_session,
    EndSession: end_session,
    CreateCourse: create_course,
    UploadMedia: upload_media,
    CreateCoupon: create_coupon,
    ChangeCoupon: change_coupon,
    DeactivateCoupon: deactivate_coupon,
    ValidateCoupon: validate_coupon,
    ValidatePromo: validate_promo,
    InitiatePayment: initiate_payment,
    ReceivePaystackWebhook: receive_paystack_webhook,
    RefreshPaymentStatus: refresh_payment_status,
    RefundPayment: refund_payment,
} | {
    change: course_changes.change_course for change in course_changes.CourseChange.__subclasses__()
}
