"""What the platform tells its users, and when: each fact that deserves a notice, worded.

Spec §4 and the services that depend on it: a welcome on enrollment, payment succeeded or
failed and a promo applied, a certificate issued, a peer review assigned or received. A notice
goes out on every channel the user chose and can be reached on; its notifications take their
ids from the event that caused them, so a redelivered event requests nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from commands.applications import Catalog, Commerce, Identity, Learning
from commands.notifications.request_notification import RequestNotification, reachable_channels
from domain.commerce.payment import transaction_id_of
from domain.reviews.review_assignment import ReviewAssignment
from schemas.events import PublishedEvent


@dataclass(frozen=True)
class Notice:
    user_id: UUID
    kind: str
    subject: str
    message: str
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sources:
    """What the policies read to word a notice."""

    identity: Identity
    catalog: Catalog
    commerce: Commerce
    learning: Learning
    public_base_url: str

    def title(self, course_id: UUID | str) -> str:
        return self.catalog.get_course(UUID(str(course_id))).title


def welcome(event: PublishedEvent, sources: Sources) -> list[Notice]:
    course_id, user_id = event.payload["courseId"], UUID(event.payload["userId"])
    title = sources.title(course_id)
    name = sources.identity.get_user(user_id).name
    return [
        Notice(
            user_id,
            "enrollment_welcome",
            f"Welcome to {title}",
            f"Hi {name}, you are enrolled in {title}. Your progress is saved as you go, "
            "so you can always pick up where you left off.",
            {"courseId": course_id, "enrollmentId": event.aggregate_id},
        )
    ]


def payment_succeeded(event: PublishedEvent, sources: Sources) -> list[Notice]:
    payment = sources.commerce.get_payment(UUID(event.aggregate_id))
    title = sources.title(payment.course_id)
    data = {"courseId": str(payment.course_id), "transactionId": payment.transaction_id}
    notices = [
        Notice(
            payment.user_id,
            "payment_succeeded",
            "Payment received",
            f"We received {money(payment.amount, payment.currency)} for {title} "
            f"(transaction {payment.transaction_id}). You can enroll now.",
            data,
        )
    ]
    if payment.promo_code and payment.promo_discount:
        notices.append(
            Notice(
                payment.user_id,
                "promo_applied",
                "Promo code applied",
                f"Promo code {payment.promo_code} took "
                f"{money(payment.promo_discount, payment.currency)} off {title}.",
                data,
            )
        )
    return notices


def payment_failed(event: PublishedEvent, sources: Sources) -> list[Notice]:
    payment = sources.commerce.get_payment(UUID(event.aggregate_id))
    title = sources.title(payment.course_id)
    return [
        Notice(
            payment.user_id,
            "payment_failed",
            "Payment failed",
            f"Your payment of {money(payment.amount, payment.currency)} for {title} did not "
            f"go through ({event.payload['reason']}). You have not been charged.",
            {"courseId": str(payment.course_id), "transactionId": transaction_id_of(payment.id)},
        )
    ]


def certificate_issued(event: PublishedEvent, sources: Sources) -> list[Notice]:
    data = event.payload
    unique_id = data["uniqueId"]
    verify = f"{sources.public_base_url.rstrip('/')}/api/certificates/verify/{unique_id}"
    return [
        Notice(
            UUID(data["userId"]),
            "certificate_issued",
            f"Your certificate for {data['courseTitle']}",
            f"Congratulations, {data['learnerName']}! Your certificate {unique_id} for "
            f"{data['courseTitle']} is ready to download. Anyone can verify it at {verify}",
            {"certificateId": event.aggregate_id, "uniqueId": unique_id, "url": verify},
        )
    ]


def review_assigned(event: PublishedEvent, sources: Sources) -> list[Notice]:
    data = event.payload
    reviewer = sources.identity.get_user(UUID(data["reviewerId"]))
    due = datetime.fromisoformat(data["expiresAt"]).astimezone(
        ZoneInfo(reviewer.preferences.timezone)
    )
    return [
        Notice(
            reviewer.id,
            "review_assigned",
            "A peer review is waiting for you",
            f"Please review a classmate's work for {sources.title(data['courseId'])} "
            f"(module {data['moduleId']}) by {due:%Y-%m-%d %H:%M} {reviewer.preferences.timezone}.",
            {"assignmentId": event.aggregate_id, "courseId": data["courseId"]},
        )
    ]


def review_received(event: PublishedEvent, sources: Sources) -> list[Notice]:
    assignment: ReviewAssignment = sources.learning.get_assignment(UUID(event.aggregate_id))
    return [
        Notice(
            assignment.submitter_id,
            "review_received",
            "Your work was reviewed",
            f"A classmate reviewed your work for {sources.title(assignment.course_id)} "
            f"(module {assignment.module_id}) and rated it {event.payload['rating']:g}.",
            {"courseId": str(assignment.course_id), "moduleId": assignment.module_id},
        )
    ]


def review_lapsed(event: PublishedEvent, sources: Sources) -> list[Notice]:
    assignment: ReviewAssignment = sources.learning.get_assignment(UUID(event.aggregate_id))
    return [
        Notice(
            assignment.reviewer_id,
            "review_expired",
            "Your peer review assignment expired",
            f"The time to review a classmate's work for {sources.title(assignment.course_id)} "
            f"(module {assignment.module_id}) ran out, so it went back to the queue. "
            "Ask for new work to review whenever you are ready.",
            {"assignmentId": event.aggregate_id, "courseId": str(assignment.course_id)},
        )
    ]


NOTICES: dict[str, Callable[[PublishedEvent, Sources], list[Notice]]] = {
    "Enrollment.WelcomeRequested": welcome,
    "Payment.Succeeded": payment_succeeded,
    "Payment.Failed": payment_failed,
    "Certificate.Issued": certificate_issued,
    "ReviewAssignment.Assigned": review_assigned,
    "ReviewAssignment.Reviewed": review_received,
    "ReviewAssignment.Expired": review_lapsed,
}


def requests_for(event: PublishedEvent, sources: Sources) -> list[RequestNotification]:
    """The notifications an event calls for, one per notice and reachable channel."""
    policy = NOTICES.get(event.event_type)
    requests = []
    for notice in policy(event, sources) if policy else ():
        user = sources.identity.get_user(notice.user_id)
        cause = f"{event.application}:{event.aggregate_id}:{event.aggregate_version}:{notice.kind}"
        requests += [
            RequestNotification(
                notice.user_id,
                channel,
                notice.kind,
                notice.subject,
                notice.message,
                cause,
                data=notice.data,
            )
            for channel in reachable_channels(user)
        ]
    return requests


def money(amount: int, currency: str) -> str:
    """Minor units as the learner reads them: 1250000 NGN is "NGN 12,500.00"."""
    return f"{currency} {amount / 100:,.2f}"
