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

Row = dict[str, Any]
Known = dict[str, dict[str, Row]]  # dimension -> id -> its latest row

DIMENSIONS = {  # dimension -> (table, key column)
    "courses": ("analytics_courses", "course_id"),
    "users": ("analytics_users", "user_id"),
    "payments": ("analytics_payments", "payment_id"),
    "enrollments": ("analytics_enrollments", "enrollment_id"),
}

COURSE_DETAILS = ("title", "category", "price", "currency")  # payload keys and columns alike


def payment_initiated(event: PublishedEvent) -> tuple[str, Row]:
    data = event.payload
    return "payments", {
        "payment_id": event.aggregate_id,
        "course_id": data["courseId"],
        "user_id": data["userId"],
        "coupon_code": data.get("couponCode") or "",
        "currency": data["currency"],
    }


def enrolled(event: PublishedEvent) -> tuple[str, Row]:
    data = event.payload
    return "enrollments", {
        "enrollment_id": event.aggregate_id,
        "course_id": data["courseId"],
        "user_id": data["userId"],
    }


def course_created(event: PublishedEvent, _: Row) -> Row:
    data = event.payload
    return {
        "course_id": event.aggregate_id,
        "instructor_id": data["instructorId"],
        **{column: data[column] for column in COURSE_DETAILS},
        "version": event.aggregate_version,
    }


def course_details_updated(event: PublishedEvent, course: Row) -> Row | None:
    changes = event.payload["changes"]
    details = {column: changes[column] for column in COURSE_DETAILS if column in changes}
    return course | details | {"version": event.aggregate_version} if course else None


def user_registered(event: PublishedEvent, _: Row) -> Row:
    data = event.payload
    return {
        "user_id": event.aggregate_id,
        "name": data["name"] or "",  # sealed, as published; blank: erased before
        "email": data["email"] or "",
        "role": data["role"],
        "registered_at": event.timestamp,
        "version": event.aggregate_version,
    }


def user_changed(column: str) -> Callable[[PublishedEvent, Row], Row | None]:
    """A change that sets ``column`` of the user's row from the payload's field of that name."""

    def change(event: PublishedEvent, user: Row) -> Row | None:
        changed = {column: event.payload[column] or "", "version": event.aggregate_version}
        return user | changed if user else None

    return change


# Made once, by the event that opens the payment or enrollment.
DIMENSION_OF: dict[str, Callable[[PublishedEvent], tuple[str, Row]]] = {
    "Payment.Initiated": payment_initiated,
    "Enrollment.Enrolled": enrolled,
}

# Versions of a course or user: (dimension, its new row from the event and the current row).
VERSIONS: dict[str, tuple[str, Callable[[PublishedEvent, Row], Row | None]]] = {
    "Course.Created": ("courses", course_created),
    "Course.DetailsUpdated": ("courses", course_details_updated),
    "User.Registered": ("users", user_registered),
    "User.ProfileUpdated": ("users", user_changed("name")),
    "User.RoleChanged": ("users", user_changed("role")),
}

CREATES = {"Course.Created", "User.Registered", *DIMENSION_OF}
"""The events that open a dimension row: what a batch need not look up for later events."""
