"""The peer reviews read model: one row per review assignment, with its review once submitted.

The spec's Review Assignments and Peer Reviews are one row here: a review completes exactly
one assignment, and a submitter's feedback is read as "their completed assignments". Every
change after the assignment only sets columns, so a batch merges them without loading rows.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from domain.reviews.review_assignment import AssignmentStatus, review_id
from projections.batch import Row, RowPerAggregate
from projections.lesson_progress import moment
from projections.metadata import metadata
from schemas.events import PublishedEvent

review_assignments = Table(
    "review_assignments",
    metadata,
    Column("assignment_id", String(36), primary_key=True),
    Column("review_id", String(36), nullable=False),
    Column("course_id", String(36), nullable=False),
    Column("module_id", String(64), nullable=False),
    Column("submission_id", String(36), nullable=False),
    Column("submitter_id", String(36), nullable=False),
    Column("reviewer_id", String(36), nullable=False),
    Column("assigned_by", String(36), nullable=False),
    Column("assigned_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),
    Column("rating", Float),
    Column("feedback", Text),
    Column("criteria", JSON),  # {criterion: score}; empty without a rubric's criteria
    Column("submitted_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False),
    # Serves a submitter's feedback, oldest review first.
    Index("ix_review_assignments_submitter", "submitter_id", "status", "submitted_at"),
)


def assigned(event: PublishedEvent) -> Row:
    data = event.payload
    return {
        "assignment_id": event.aggregate_id,
        "review_id": review_id(event.aggregate_id),
        "course_id": data["courseId"],
        "module_id": data["moduleId"],
        "submission_id": data["submissionId"],
        "submitter_id": data["submitterId"],
        "reviewer_id": data["reviewerId"],
        "assigned_by": data["assignedBy"],
        "assigned_at": moment(data["assignedAt"]),
        "expires_at": moment(data["expiresAt"]),
        "status": AssignmentStatus.PENDING.value,
        "rating": None,
        "feedback": None,
        "criteria": None,
        "submitted_at": None,
        "version": event.aggregate_version,
    }


def reviewed(event: PublishedEvent) -> Row:
    data = event.payload
    return {
        "status": AssignmentStatus.COMPLETED.value,
        "rating": data["rating"],
        "feedback": data["feedback"],
        "criteria": {name: score for name, score in data["scores"]},
        "submitted_at": moment(data["reviewedAt"]),
    }


def expired(_: PublishedEvent) -> Row:
    return {"status": AssignmentStatus.EXPIRED.value}


CHANGES: dict[str, Callable[[PublishedEvent], Row]] = {
    "ReviewAssignment.Reviewed": reviewed,
    "ReviewAssignment.Expired": expired,
}


class PeerReviewsProjection(RowPerAggregate):
    name = "peer_reviews"
    tables = (review_assignments,)
    key = "assignment_id"
    created = "ReviewAssignment.Assigned"
    row = staticmethod(assigned)
    changes = CHANGES
