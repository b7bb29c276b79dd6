"""The peer reviews read model: one row per review assignment, with its review once submitted,
and one row per module with a review queue, with the module's review rules.

The spec's Review Assignments and Peer Reviews are one row here: a review completes exactly
one assignment, and a submitter's feedback is read as "their completed assignments". Every
change after the assignment only sets columns, so a batch merges them without loading rows.
A module's row holds the reviews a learner must complete there before seeing their feedback;
a module without a row (no queue yet) requires none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from domain.reviews.review_terms import AssignmentStatus, review_id
from projections.batch import Row, RowPerAggregate
from projections.lesson_progress import moment
from projections.metadata import metadata
from schemas.events import PublishedEvent
from schemas.published.reviews import (
    ReviewAssignmentAssigned,
    ReviewAssignmentExpired,
    ReviewAssignmentReviewed,
    ReviewQueueOpened,
    ReviewQueueRulesSet,
)

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
    # Serves the count of reviews a learner completed per module.
    Index("ix_review_assignments_reviewer", "reviewer_id", "status", "course_id"),
)

review_modules = Table(
    "review_modules",
    metadata,
    Column("queue_id", String(36), primary_key=True),
    Column("course_id", String(36), nullable=False),
    Column("module_id", String(64), nullable=False),
    Column("reviews_needed", Integer, nullable=False),
    Column("reviews_required", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_review_modules_module", "course_id", "module_id", unique=True),
)


def assigned(event: PublishedEvent) -> Row:
    data = ReviewAssignmentAssigned.of(event)
    return {
        "assignment_id": event.aggregate_id,
        "review_id": review_id(event.aggregate_id),
        "course_id": data.course_id,
        "module_id": data.module_id,
        "submission_id": data.submission_id,
        "submitter_id": data.submitter_id,
        "reviewer_id": data.reviewer_id,
        "assigned_by": data.assigned_by,
        "assigned_at": moment(data.assigned_at),
        "expires_at": moment(data.expires_at),
        "status": AssignmentStatus.PENDING.value,
        "rating": None,
        "feedback": None,
        "criteria": None,
        "submitted_at": None,
        "version": event.aggregate_version,
    }


def reviewed(event: PublishedEvent) -> Row:
    data = ReviewAssignmentReviewed.of(event)
    return {
        "status": AssignmentStatus.COMPLETED.value,
        "rating": data.rating,
        "feedback": data.feedback,
        "criteria": {name: score for name, score in data.scores},
        "submitted_at": moment(data.reviewed_at),
    }


def expired(_: PublishedEvent) -> Row:
    return {"status": AssignmentStatus.EXPIRED.value}


CHANGES: dict[str, Callable[[PublishedEvent], Row]] = {
    ReviewAssignmentReviewed.NAME: reviewed,
    ReviewAssignmentExpired.NAME: expired,
}


def opened(event: PublishedEvent) -> Row:
    data = ReviewQueueOpened.of(event)
    return {
        "queue_id": event.aggregate_id,
        "course_id": data.course_id,
        "module_id": data.module_id,
        "reviews_needed": data.reviews_needed,
        "reviews_required": 0,
        "version": event.aggregate_version,
    }


def rules_set(event: PublishedEvent) -> Row:
    data = ReviewQueueRulesSet.of(event)
    return {"reviews_needed": data.reviews_needed, "reviews_required": data.reviews_required}


class AssignmentRows(RowPerAggregate):
    tables = (review_assignments,)
    key = "assignment_id"
    created = ReviewAssignmentAssigned.NAME
    row = staticmethod(assigned)
    changes = CHANGES


class ModuleRows(RowPerAggregate):
    tables = (review_modules,)
    key = "queue_id"
    created = ReviewQueueOpened.NAME
    row = staticmethod(opened)
    changes = {ReviewQueueRulesSet.NAME: rules_set}


class PeerReviewsProjection:
    name = "peer_reviews"
    tables = (review_assignments, review_modules)
    parts = (AssignmentRows(), ModuleRows())

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        for part in self.parts:  # the tables share no rows: each takes the batch in turn
            part.process(events, conn)
