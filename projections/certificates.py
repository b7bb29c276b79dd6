"""The certificates read model: one row per certificate, for downloads, public verification
and a learner's list.

The row keeps what the PDF shows (names and titles as issued, corrected by re-issues, the
learner's progress as the grade), and the template revision it was issued with (null: the
default layout), which a download renders with. Every change after the issue only sets
columns, so a batch merges them without loading rows first. ``unique_id`` is the public,
verifiable code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import (
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

from projections.batch import Row, RowPerAggregate
from projections.erasure import blank_erased
from projections.metadata import metadata
from schemas.events import PublishedEvent
from schemas.published.learning import CertificateIssued, CertificateReissued, CertificateRevoked

certificates = Table(
    "certificates",
    metadata,
    Column("certificate_id", String(36), primary_key=True),
    Column("unique_id", String(32), nullable=False, unique=True),
    Column("enrollment_id", String(36), nullable=False),
    Column("user_id", String(36), nullable=False),
    Column("course_id", String(36), nullable=False),
    Column("learner_name", String(200), nullable=False),
    Column("course_title", String(300), nullable=False),
    Column("instructor_name", String(200), nullable=False),
    Column("completed_at", DateTime(timezone=True)),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("issued_by", String(36)),  # the admin of a manual issue; null: earned
    Column("status", String(16), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoke_reason", Text),
    Column("edition", Integer, nullable=False),
    Column("reissued_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False),
    Column("template_id", String(36)),  # null: the default layout
    Column("template_revision", Integer),
    Column("progress", Float),  # the learner's share of the course when issued; null: none
    # Serves a learner's list, newest first, and counts per learner.
    Index("ix_certificates_user_issued", "user_id", "issued_at"),
)

VALID, REVOKED = "valid", "revoked"
ERASED = ""  # the learner name of a certificate whose learner was erased


def utc(moment: str | None) -> datetime | None:
    # In UTC: SQLite keeps a datetime's wall time and drops its offset.
    return datetime.fromisoformat(moment).astimezone(UTC) if moment else None


def issued(event: PublishedEvent) -> Row:
    data = CertificateIssued.of(event)
    return {
        "certificate_id": event.aggregate_id,
        "unique_id": data.unique_id,
        "enrollment_id": data.enrollment_id,
        "user_id": data.user_id,
        "course_id": data.course_id,
        "learner_name": data.learner_name or ERASED,
        "course_title": data.course_title,
        "instructor_name": data.instructor_name,
        "completed_at": utc(data.completed_at),
        "issued_at": event.timestamp,
        "issued_by": data.issued_by,
        "status": VALID,
        "revoked_at": None,
        "revoke_reason": None,
        "edition": 1,
        "reissued_at": None,
        "version": event.aggregate_version,
        "template_id": data.template_id,
        "template_revision": data.template_revision,
        "progress": data.progress,
    }


def reissued(event: PublishedEvent) -> Row:
    data = CertificateReissued.of(event)
    return {
        "learner_name": data.learner_name or ERASED,
        "edition": data.edition,
        "reissued_at": event.timestamp,
    }


def revoked(event: PublishedEvent) -> Row:
    return {
        "status": REVOKED,
        "revoked_at": event.timestamp,
        "revoke_reason": CertificateRevoked.of(event).reason,
    }


CHANGES: dict[str, Callable[[PublishedEvent], Row]] = {
    CertificateReissued.NAME: reissued,
    CertificateRevoked.NAME: revoked,
}


class CertificatesProjection(RowPerAggregate):
    name = "certificates"
    tables = (certificates,)
    key = "certificate_id"
    created = CertificateIssued.NAME
    row = staticmethod(issued)
    changes = CHANGES

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        super().process(events, conn)
        # The certificates stay valid, issued to a learner no longer named.
        blank_erased(conn, events, certificates, learner_name=ERASED)
