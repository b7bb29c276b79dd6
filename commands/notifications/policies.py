"""What the platform tells its users, and when: each fact that deserves a notice.

Spec §4 and the services that depend on it: a welcome on enrollment, payment succeeded or
failed and a promo applied, a second payment for a course refunded, a refund paid back, a
certificate issued, a peer review assigned or received. A policy names the notice and the
values it is worded from; ``request_notice`` words it in the reader's language and requests it
on every channel the user chose and can be reached on. Notices take their causes from the
event behind them, so a redelivered event requests nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from commands.applications import Catalog, Commerce, Identity, Learning
from commands.notifications.request_notice import RequestNotice
from commands.notifications.wording import Money, Value
from domain.commerce.payment_terms import transaction_id_of
from domain.reviews.review_assignment import ReviewAssignment
from schemas.events import PublishedEvent
from schemas.published.commerce import (
    PaymentFailed,
    PaymentPaidTwice,
    PaymentRefunded,
    PaymentSucceeded,
)
from schemas.published.learning import CertificateIssued, EnrollmentWelcomeRequested
from schemas.published.reviews import (
    ReviewAssignmentAssigned,
    ReviewAssignmentExpired,
    ReviewAssignmentReviewed,
)


@dataclass(frozen=True)
class Notice:
    user_id: UUID
    kind: str
    values: dict[str, Value]
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sources:
    """What the policies read to tell of a fact."""

    identity: Identity
    catalog: Catalog
    commerce: Commerce
    learning: Learning
    public_base_url: str

    def title(self, course_id: UUID | str) -> str:
        return self.catalog.get_course(UUID(str(course_id))).title


def welcome(event: PublishedEvent, sources: Sources) -> list[Notice]:
    requested = EnrollmentWelcomeRequested.of(event)
    course_id, user_id = requested.course_id, UUID(requested.user_id)
    values = {
        "course": sources.title(course_id),
        "name": sources.identity.get_user(user_id).name,
    }
    data = {"courseId": course_id, "enrollmentId": event.aggregate_id}
    return [Notice(user_id, "enrollment_welcome", values, data)]


def payment_succeeded(event: PublishedEvent, sources: Sources) -> list[Notice]:
    payment = sources.commerce.get_payment(UUID(event.aggregate_id))
    if payment.paid_twice:
        return []  # not theirs to enroll with: ``paid_twice`` tells of it
    course = sources.title(payment.course_id)
    data = {"courseId": str(payment.course_id), "transactionId": payment.transaction_id}
    paid = {
        "amount": Money(payment.amount, payment.currency),
        "course": course,
        "transaction": payment.transaction_id,
    }
    notices = [Notice(payment.user_id, "payment_succeeded", paid, data)]
    if payment.promo_code and payment.promo_discount:
        promo = {
            "code": payment.promo_code,
            "discount": Money(payment.promo_discount, payment.currency),
            "course": course,
        }
        notices.append(Notice(payment.user_id, "promo_applied", promo, data))
    return notices


def paid_twice(event: PublishedEvent, sources: Sources) -> list[Notice]:
    owed = PaymentPaidTwice.of(event)
    return money_back(event, sources, "second_payment_refunded", Money(owed.amount, owed.currency))


def refunded(event: PublishedEvent, sources: Sources) -> list[Notice]:
    refund = PaymentRefunded.of(event)
    return money_back(event, sources, "refund_processed", Money(refund.amount, refund.currency))


def money_back(event: PublishedEvent, sources: Sources, kind: str, amount: Money) -> list[Notice]:
    """A notice to the payer of money going back: how much, for which course and transaction."""
    payment = sources.commerce.get_payment(UUID(event.aggregate_id))
    values = {
        "amount": amount,
        "course": sources.title(payment.course_id),
        "transaction": payment.transaction_id,
    }
    data = {"courseId": str(payment.course_id), "transactionId": payment.transaction_id}
    return [Notice(payment.user_id, kind, values, data)]


def payment_failed(event: PublishedEvent, sources: Sources) -> list[Notice]:
    payment = sources.commerce.get_payment(UUID(event.aggregate_id))
    values = {
        "amount": Money(payment.amount, payment.currency),
        "course": sources.title(payment.course_id),
        "reason": PaymentFailed.of(event).reason,  # the gateway's words, in no language of ours
    }
    data = {"courseId": str(payment.course_id), "transactionId": transaction_id_of(payment.id)}
    return [Notice(payment.user_id, "payment_failed", values, data)]


def certificate_issued(event: PublishedEvent, sources: Sources) -> list[Notice]:
    data = CertificateIssued.of(event)
    unique_id = data.unique_id
    verify = f"{sources.public_base_url.rstrip('/')}/api/certificates/verify/{unique_id}"
    values = {
        "course": data.course_title,
        # The learner's name as they are known now: the event's copy is sealed.
        "name": sources.identity.get_user(UUID(data.user_id)).name or "",
        "certificate": unique_id,
        "url": verify,
    }
    links = {"certificateId": event.aggregate_id, "uniqueId": unique_id, "url": verify}
    return [Notice(UUID(data.user_id), "certificate_issued", values, links)]


def review_assigned(event: PublishedEvent, sources: Sources) -> list[Notice]:
    data = ReviewAssignmentAssigned.of(event)
    values = {
        "course": sources.title(data.course_id),
        "module": data.module_id,
        "due": datetime.fromisoformat(data.expires_at),  # shown in the reviewer's time zone
    }
    links = {"assignmentId": event.aggregate_id, "courseId": data.course_id}
    return [Notice(UUID(data.reviewer_id), "review_assigned", values, links)]


def review_received(event: PublishedEvent, sources: Sources) -> list[Notice]:
    assignment: ReviewAssignment = sources.learning.get_assignment(UUID(event.aggregate_id))
    values = {
        "course": sources.title(assignment.course_id),
        "module": assignment.module_id,
        "rating": ReviewAssignmentReviewed.of(event).rating,
    }
    data = {"courseId": str(assignment.course_id), "moduleId": assignment.module_id}
    return [Notice(assignment.submitter_id, "review_received", values, data)]


def review_lapsed(event: PublishedEvent, sources: Sources) -> list[Notice]:
    assignment: ReviewAssignment = sources.learning.get_assignment(UUID(event.aggregate_id))
    values = {"course": sources.title(assignment.course_id), "module": assignment.module_id}
    data = {"assignmentId": event.aggregate_id, "courseId": str(assignment.course_id)}
    return [Notice(assignment.reviewer_id, "review_expired", values, data)]


NOTICES: dict[str, Callable[[PublishedEvent, Sources], list[Notice]]] = {
    EnrollmentWelcomeRequested.NAME: welcome,
    PaymentSucceeded.NAME: payment_succeeded,
    PaymentFailed.NAME: payment_failed,
    PaymentPaidTwice.NAME: paid_twice,
    PaymentRefunded.NAME: refunded,
    CertificateIssued.NAME: certificate_issued,
    ReviewAssignmentAssigned.NAME: review_assigned,
    ReviewAssignmentReviewed.NAME: review_received,
    ReviewAssignmentExpired.NAME: review_lapsed,
}


def requests_for(event: PublishedEvent, sources: Sources) -> list[RequestNotice]:
    """The notices an event calls for, each to be worded for its reader and requested."""
    policy = NOTICES.get(event.event_type)
    return [
        RequestNotice(
            notice.user_id,
            notice.kind,
            notice.values,
            f"{event.application}:{event.aggregate_id}:{event.aggregate_version}:{notice.kind}",
            notice.data,
        )
        for notice in (policy(event, sources) if policy else ())
    ]
