"""Events into analytics rows: a pure function of a batch and the dimensions it refers to.

``references`` names the courses, users, payments and enrollments a batch's events need but
do not open; the runner looks those up in their tables, and ``project`` turns the batch into
rows. Every event becomes a row of ``analytics_events``, attributed to the course and user it
is about; the events the schema lists also become facts (one handler per event type, named
after it) or new versions of dimensions. Every row is keyed by what the event fixes (its log
position, its aggregate's id and version), so projecting an event again writes the same rows
again, and ClickHouse collapses them. Across aggregates Kafka keeps no order: a redemption read
a batch before the checkout it redeems stays unattributed until a rebuild, which replays the
log in order.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC
from typing import Any

from projections.analytics.dimensions import (
    CREATES,
    DIMENSION_OF,
    DIMENSIONS,
    VERSIONS,
    Known,
    Row,
)
from schemas.events import PublishedEvent
from schemas.published import PAYLOADS
from schemas.published.commerce import CouponRedeemed, PaymentRefunded, PaymentSucceeded
from schemas.published.learning import (
    CertificateIssued,
    EnrollmentCompleted,
    EnrollmentEnrolled,
    EnrollmentLessonProgressed,
    EnrollmentQuizAttempted,
    EnrollmentRated,
)

Subject = tuple[str, str]  # the course and the user an event is about ("" when unknown)
Handler = Callable[[PublishedEvent, Subject, "AnalyticsBatch"], None]

THROUGH = {"Payment": "payments", "Enrollment": "enrollments"}  # later events repeat neither


class AnalyticsBatch:
    def __init__(self, known: Known) -> None:
        self.known = known
        self.changed: Known = {kind: {} for kind in DIMENSIONS}
        self.events: list[Row] = []
        self.facts: list[Row] = []
        self.answers: list[Row] = []  # analytics_quiz_answers

    def dimension(self, kind: str, key: str) -> Row:
        """The latest row of a course, user, payment or enrollment; ``{}`` when unknown."""
        return self.changed[kind].get(key) or self.known.get(kind, {}).get(key) or {}

    def put(self, kind: str, row: Row) -> None:
        self.changed[kind][row[DIMENSIONS[kind][1]]] = row

    def fact(self, event: PublishedEvent, fact: str, subject: Subject, **measures: Any) -> None:
        at, (course_id, user_id) = event.timestamp, subject
        self.facts.append(
            {"application": event.application, "position": event.position, "fact": fact}
            | {"at": at, "day": at.astimezone(UTC).date(), "course_id": course_id}
            | {"user_id": user_id}
            | {"amount": 0, "currency": "", "value": 0.0, "code": ""}
            | measures
        )

    def rows(self) -> dict[str, list[Row]]:
        """Dimensions first, so a reader never meets a fact whose course is not there yet."""
        dimensions = {DIMENSIONS[k][0]: list(rows.values()) for k, rows in self.changed.items()}
        return dimensions | {
            "analytics_facts": self.facts,
            "analytics_quiz_answers": self.answers,
            "analytics_events": self.events,
        }


def reference(event: PublishedEvent) -> tuple[str, str] | None:
    """The dimension row an event is attributed through, or is a new version of."""
    family = event.event_type.partition(".")[0]
    if family in THROUGH:
        return THROUGH[family], event.aggregate_id
    if payment_id := named_id(event, "payment_id"):  # coupons' and purchases' events
        return "payments", payment_id
    if event.event_type in VERSIONS:
        return VERSIONS[event.event_type][0], event.aggregate_id
    return None


def references(events: Sequence[PublishedEvent]) -> dict[str, set[str]]:
    """The dimension rows the batch needs from the tables: referred to, not opened in it."""
    opened = {reference(event) for event in events if event.event_type in CREATES}
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if (key := reference(event)) and key not in opened:
            wanted[key[0]].add(key[1])
    return dict(wanted)


def named_id(event: PublishedEvent, field: str) -> str:
    """The id ``event``'s payload holds in ``field`` (a field of its model, as ``course_id``),
    or "" when its event type has no such field or holds none."""
    model = PAYLOADS.get(event.event_type)
    found = model.model_fields.get(field) if model else None
    return event.payload.get(found.alias or field) or "" if found else ""


def subject_of(event: PublishedEvent, batch: AnalyticsBatch) -> Subject:
    family = event.event_type.partition(".")[0]
    if family == "Course":
        return event.aggregate_id, named_id(event, "instructor_id")
    if family == "User":
        return "", event.aggregate_id
    row = batch.dimension(*key) if (key := reference(event)) else {}
    course_id = row.get("course_id") or named_id(event, "course_id")
    return course_id, row.get("user_id") or named_id(event, "user_id")


def project(events: Sequence[PublishedEvent], known: Known) -> dict[str, list[Row]]:
    """The rows of a batch of events, given the dimension rows ``references`` asked for.

    Personal fields stay as published, sealed (see infra.personal_data): the analytics store
    never holds them in plain text, and a destroyed key erases them here too."""
    batch = AnalyticsBatch(known)
    # Payments and enrollments first: Kafka may hand over a coupon's redemption (another
    # aggregate, so another partition) ahead of the checkout it redeems, in the same batch.
    for event in events:
        if opens := DIMENSION_OF.get(event.event_type):
            batch.put(*opens(event))
    for event in events:
        subject = subject_of(event, batch)
        if event.event_type in VERSIONS:
            kind, version = VERSIONS[event.event_type]
            if row := version(event, batch.dimension(kind, event.aggregate_id)):
                batch.put(kind, row)
        if handler := HANDLERS.get(event.event_type):
            handler(event, subject, batch)
        batch.events.append(event_row(event, subject))
    return batch.rows()


def event_row(event: PublishedEvent, subject: Subject) -> Row:
    return {
        "application": event.application,
        "position": event.position,
        "event_type": event.event_type,
        "aggregate_id": event.aggregate_id,
        "course_id": subject[0],
        "user_id": subject[1],
        "event_data": json.dumps(event.payload, sort_keys=True, separators=(",", ":")),
        "recorded_at": event.timestamp,
    }


def counted(fact: str) -> Handler:
    """A handler recording ``fact`` with nothing to measure."""

    def handle(event: PublishedEvent, subject: Subject, batch: AnalyticsBatch) -> None:
        batch.fact(event, fact, subject)

    return handle


def lesson_progressed(event: PublishedEvent, subject: Subject, batch: AnalyticsBatch) -> None:
    data = EnrollmentLessonProgressed.of(event)
    batch.fact(event, "progress", subject, amount=data.time_spent, value=data.course_progress)


def rated(event: PublishedEvent, subject: Subject, batch: AnalyticsBatch) -> None:
    stars = EnrollmentRated.of(event).stars
    batch.fact(event, "rating", subject, amount=stars, value=float(stars))


def quiz_attempted(event: PublishedEvent, subject: Subject, batch: AnalyticsBatch) -> None:
    data, at = EnrollmentQuizAttempted.of(event), event.timestamp
    passed, (course_id, user_id) = data.passed, subject
    batch.fact(event, "quiz_attempt", subject, amount=int(passed), value=data.score)
    batch.answers.extend(
        {"application": event.application, "position": event.position}
        | {"question_id": result["questionId"], "at": at, "day": at.astimezone(UTC).date()}
        | {"course_id": course_id, "lesson_id": data.lesson_id, "user_id": user_id}
        | {"correct": int(bool(result["correct"]))}
        for result in data.results
    )


def money_moved(model: type[PaymentSucceeded | PaymentRefunded], fact: str) -> Handler:
    """A handler recording money paid or refunded, and the coupon its payment used."""

    def handle(event: PublishedEvent, subject: Subject, batch: AnalyticsBatch) -> None:
        data = model.of(event)
        money = {"amount": data.amount, "currency": data.currency}
        batch.fact(event, fact, subject, code=coupon_of(event, batch), **money)

    return handle


def coupon_redeemed(event: PublishedEvent, subject: Subject, batch: AnalyticsBatch) -> None:
    batch.fact(event, "coupon_redemption", subject, code=coupon_of(event, batch))


def coupon_of(event: PublishedEvent, batch: AnalyticsBatch) -> str:
    payment_id = named_id(event, "payment_id") or event.aggregate_id
    return batch.dimension("payments", payment_id).get("coupon_code") or ""


HANDLERS: dict[str, Handler] = {
    EnrollmentEnrolled.NAME: counted("enrollment"),
    EnrollmentCompleted.NAME: counted("completion"),
    EnrollmentLessonProgressed.NAME: lesson_progressed,
    EnrollmentRated.NAME: rated,
    EnrollmentQuizAttempted.NAME: quiz_attempted,
    PaymentSucceeded.NAME: money_moved(PaymentSucceeded, "payment"),
    PaymentRefunded.NAME: money_moved(PaymentRefunded, "refund"),
    CouponRedeemed.NAME: coupon_redeemed,
    CertificateIssued.NAME: counted("certificate"),
}
