"""The dimensions facts are labelled and attributed by: courses, users, payments, enrollments.

A course or a user changes: each change writes its whole row again at the event's aggregate
version, and ``ReplacingMergeTree(version)`` keeps the latest, however often or late an older
version is written again. A payment's or an enrollment's course and learner never change, so
their row is written once, by the event that opens it, for later events to be attributed by.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemas.events import PublishedEvent
from schemas.published.catalog import CourseCreated, CourseDetailsUpdated
from schemas.published.commerce import PaymentInitiated
from schemas.published.learning import EnrollmentEnrolled
from schemas.published.users import UserProfileUpdated, UserRegistered, UserRoleChanged

Row = dict[str, Any]
Known = dict[str, dict[str, Row]]  # dimension -> id -> its latest row

DIMENSIONS = {  # dimension -> (table, key column)
    "courses": ("analytics_courses", "course_id"),
    "users": ("analytics_users", "user_id"),
    "payments": ("analytics_payments", "payment_id"),
    "enrollments": ("analytics_enrollments", "enrollment_id"),
}

# Columns of a course's details, as ``Course.DetailsUpdated`` names them among its changes.
COURSE_DETAILS = ("title", "category", "price", "currency")


def payment_initiated(event: PublishedEvent) -> tuple[str, Row]:
    data = PaymentInitiated.of(event)
    return "payments", {
        "payment_id": event.aggregate_id,
        "course_id": data.course_id,
        "user_id": data.user_id,
        "coupon_code": data.coupon_code or "",
        "currency": data.currency,
    }


def enrolled(event: PublishedEvent) -> tuple[str, Row]:
    data = EnrollmentEnrolled.of(event)
    return "enrollments", {
        "enrollment_id": event.aggregate_id,
        "course_id": data.course_id,
        "user_id": data.user_id,
    }


def course_created(event: PublishedEvent, _: Row) -> Row:
    data = CourseCreated.of(event)
    return {
        "course_id": event.aggregate_id,
        "instructor_id": data.instructor_id,
        "title": data.title,
        "category": data.category,
        "price": data.price,
        "currency": data.currency,
        "version": event.aggregate_version,
    }


def course_details_updated(event: PublishedEvent, course: Row) -> Row | None:
    changes = CourseDetailsUpdated.of(event).changes
    details = {column: changes[column] for column in COURSE_DETAILS if column in changes}
    return course | details | {"version": event.aggregate_version} if course else None


def user_registered(event: PublishedEvent, _: Row) -> Row:
    data = UserRegistered.of(event)
    return {
        "user_id": event.aggregate_id,
        "name": data.name or "",  # sealed, as published; blank: erased before
        "email": data.email or "",
        "role": data.role,
        "registered_at": event.timestamp,
        "version": event.aggregate_version,
    }


def profile_updated(event: PublishedEvent, user: Row) -> Row | None:
    name = UserProfileUpdated.of(event).name or ""
    return user | {"name": name, "version": event.aggregate_version} if user else None


def role_changed(event: PublishedEvent, user: Row) -> Row | None:
    role = UserRoleChanged.of(event).role
    return user | {"role": role, "version": event.aggregate_version} if user else None


# Made once, by the event that opens the payment or enrollment.
DIMENSION_OF: dict[str, Callable[[PublishedEvent], tuple[str, Row]]] = {
    PaymentInitiated.NAME: payment_initiated,
    EnrollmentEnrolled.NAME: enrolled,
}

# Versions of a course or user: (dimension, its new row from the event and the current row).
VERSIONS: dict[str, tuple[str, Callable[[PublishedEvent, Row], Row | None]]] = {
    CourseCreated.NAME: ("courses", course_created),
    CourseDetailsUpdated.NAME: ("courses", course_details_updated),
    UserRegistered.NAME: ("users", user_registered),
    UserProfileUpdated.NAME: ("users", profile_updated),
    UserRoleChanged.NAME: ("users", role_changed),
}

CREATES = {CourseCreated.NAME, UserRegistered.NAME, *DIMENSION_OF}
"""The events that open a dimension row: what a batch need not look up for later events."""
