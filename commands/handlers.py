"""Which handler answers which command (the bus's routing table), and what follows which."""

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
from commands.courses.assign_certificate_template import (
    AssignCertificateTemplate,
    assign_certificate_template,
)
from commands.courses.author_course import CreateCourse, create_course
from commands.courses.change_course import (
    AddLesson,
    AddModule,
    ArchiveCourse,
    PublishCourse,
    RemoveLesson,
    RemoveModule,
    RemoveQuiz,
    ReorderLessons,
    ReorderModules,
    SetQuiz,
    UnpublishCourse,
    UpdateLesson,
    UpdateModule,
    change_course,
)
from commands.courses.design_certificate_template import (
    CreateCertificateTemplate,
    ReviseCertificateTemplate,
    create_certificate_template,
    revise_certificate_template,
)
from commands.courses.update_course import UpdateCourse, update_course
from commands.courses.upload_media import UploadMedia, upload_media
from commands.learning.attempt_quiz import AttemptQuiz, attempt_quiz
from commands.learning.drop_enrollment import (
    DropRefundedEnrollment,
    after_refund,
    drop_refunded_enrollment,
)
from commands.learning.drop_refunded_enrollments import (
    DropRefundedEnrollments,
    drop_refunded_enrollments,
)
from commands.learning.enroll import EnrollInCourse, enroll
from commands.learning.enroll_in_bulk import EnrollInBulk, enroll_in_bulk
from commands.learning.issue_certificate import (
    GenerateCertificate,
    IssueCertificate,
    generate_certificate,
    issue_certificate,
)
from commands.learning.rate_course import RateCourse, rate_course
from commands.learning.reissue_certificates import (
    ReissueCertificates,
    after_name_change,
    reissue_certificates,
)
from commands.learning.revoke_certificate import RevokeCertificate, revoke_certificate
from commands.learning.update_progress import UpdateProgress, update_progress
from commands.notifications.deliver_notification import (
    DeliverNotification,
    deliver_notification,
)
from commands.notifications.read_notification import ReadNotification, read_notification
from commands.notifications.remind_idle_learners import RemindIdleLearners, remind_idle_learners
from commands.notifications.request_notice import RequestNotice, request_notice
from commands.notifications.request_notification import (
    RequestNotification,
    request_notification,
)
from commands.notifications.send_notification import SendNotification, send_notification
from commands.payments.authorize_payment import AuthorizePayment, authorize_payment
from commands.payments.check_discounts import (
    ValidateCoupon,
    ValidatePromo,
    validate_coupon,
    validate_promo,
)
from commands.payments.expire_checkouts import ExpireCheckouts, expire_checkouts
from commands.payments.initiate_payment import InitiatePayment, initiate_payment
from commands.payments.reconcile_refunds import ReconcileRefunds, reconcile_refunds
from commands.payments.refund_payment import RefundPayment, refund_payment
from commands.payments.settle_payment import (
    ReceivePaystackWebhook,
    RefreshPaymentStatus,
    receive_paystack_webhook,
    refresh_payment_status,
)
from commands.reviews.assign_review import AssignReview, assign_review
from commands.reviews.pull_review import PullReview, pull_review
from commands.reviews.release_lapsed_reviews import ReleaseLapsedReviews, release_lapsed_reviews
from commands.reviews.set_rubric import SetRubric, set_rubric
from commands.reviews.submit_review import SubmitReview, submit_review
from commands.reviews.submit_work import SubmitWork, submit_work
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
from commands.users.erase_personal_data import ErasePersonalData, erase_personal_data
from commands.users.log_in import LogIn, log_in
from commands.users.log_in_with_provider import LogInWithProvider, log_in_with_provider
from commands.users.manage_push_devices import (
    RegisterPushDevice,
    RemovePushDevice,
    register_push_device,
    remove_push_device,
)
from commands.users.register_user import RegisterUser, register_user
from commands.users.set_preferences import SetPreferences, set_preferences
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
    ErasePersonalData: erase_personal_data,
    StartSession: start_session,
    RefreshSession: refresh_session,
    EndSession: end_session,
    CreateCourse: create_course,
    UpdateCourse: update_course,
    UploadMedia: upload_media,
    CreateCertificateTemplate: create_certificate_template,
    ReviseCertificateTemplate: revise_certificate_template,
    AssignCertificateTemplate: assign_certificate_template,
    CreateCoupon: create_coupon,
    ChangeCoupon: change_coupon,
    DeactivateCoupon: deactivate_coupon,
    ValidateCoupon: validate_coupon,
    ValidatePromo: validate_promo,
    InitiatePayment: initiate_payment,
    AuthorizePayment: authorize_payment,
    ReceivePaystackWebhook: receive_paystack_webhook,
    RefreshPaymentStatus: refresh_payment_status,
    RefundPayment: refund_payment,
    EnrollInCourse: enroll,
    EnrollInBulk: enroll_in_bulk,
    DropRefundedEnrollment: drop_refunded_enrollment,
    UpdateProgress: update_progress,
    AttemptQuiz: attempt_quiz,
    RateCourse: rate_course,
    GenerateCertificate: generate_certificate,
    IssueCertificate: issue_certificate,
    RevokeCertificate: revoke_certificate,
    ReissueCertificates: reissue_certificates,
    SetPreferences: set_preferences,
    SubmitWork: submit_work,
    AssignReview: assign_review,
    PullReview: pull_review,
    SubmitReview: submit_review,
    SetRubric: set_rubric,
    ReleaseLapsedReviews: release_lapsed_reviews,
    ReconcileRefunds: reconcile_refunds,
    DropRefundedEnrollments: drop_refunded_enrollments,
    ExpireCheckouts: expire_checkouts,
    RequestNotification: request_notification,
    RequestNotice: request_notice,
    SendNotification: send_notification,
    DeliverNotification: deliver_notification,
    ReadNotification: read_notification,
    RemindIdleLearners: remind_idle_learners,
    RegisterPushDevice: register_push_device,
    RemovePushDevice: remove_push_device,
    # Changes to an existing course: one handler, each change knowing its aggregate method.
    PublishCourse: change_course,
    UnpublishCourse: change_course,
    ArchiveCourse: change_course,
    AddModule: change_course,
    UpdateModule: change_course,
    RemoveModule: change_course,
    ReorderModules: change_course,
    AddLesson: change_course,
    UpdateLesson: change_course,
    RemoveLesson: change_course,
    ReorderLessons: change_course,
    SetQuiz: change_course,
    RemoveQuiz: change_course,
}

POLICIES: dict[type, list[Callable[[Any], object | None]]] = {
    UpdateProfile: [after_name_change],
    RefundPayment: [after_refund],
}
"""What follows a command: each policy may answer a command to handle next."""
