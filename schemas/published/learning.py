"""Published events of enrollments, certificates and transcripts (application ``learning``).

Each model matches its domain event class, minus private fields;
tests/unit/test_published_payloads.py fails when the two disagree.
"""

from __future__ import annotations

from typing import Any, ClassVar

from schemas.published.base import Instant, PublishedPayload, Sealed, Uuid


class EnrollmentEnrolled(PublishedPayload):
    NAME: ClassVar[str] = "Enrollment.Enrolled"
    user_id: Uuid
    course_id: Uuid
    source: str
    payment_id: Uuid | None
    granted_by: Uuid | None


class EnrollmentCompleted(PublishedPayload):
    NAME: ClassVar[str] = "Enrollment.Completed"
    completed_at: Instant


class EnrollmentDropped(PublishedPayload):
    NAME: ClassVar[str] = "Enrollment.Dropped"


class EnrollmentReadmitted(PublishedPayload):
    NAME: ClassVar[str] = "Enrollment.Readmitted"
    source: str
    payment_id: Uuid | None
    granted_by: Uuid | None


class EnrollmentLessonProgressed(PublishedPayload):
    NAME: ClassVar[str] = "Enrollment.LessonProgressed"
    VERSION: ClassVar[int] = 2
    module_id: str
    lesson_id: str
    lesson_progress: float
    time_spent: int
    position_seconds: int
    accessed_at: Instant
    course_progress: float
    device: str


class EnrollmentQuizAttempted(PublishedPayload):
    NAME: ClassVar[str] = "Enrollment.QuizAttempted"
    module_id: str
    lesson_id: str
    attempt: int
    score: float
    passed: bool
    results: list[Any]
    attempted_at: Instant


class EnrollmentRated(PublishedPayload):
    NAME: ClassVar[str] = "Enrollment.Rated"
    course_id: Uuid
    stars: int
    previous: int | None


class EnrollmentWelcomeRequested(PublishedPayload):
    NAME: ClassVar[str] = "Enrollment.WelcomeRequested"
    user_id: Uuid
    course_id: Uuid


class CertificateIssued(PublishedPayload):
    NAME: ClassVar[str] = "Certificate.Issued"
    VERSION: ClassVar[int] = 2
    DATA_SUBJECT: ClassVar[str | None] = "user_id"
    enrollment_id: Uuid
    user_id: Uuid
    course_id: Uuid
    unique_id: str
    learner_name: Sealed
    course_title: str
    instructor_name: str
    completed_at: Instant | None
    issued_by: Uuid | None
    template_id: Uuid | None
    template_revision: int | None
    progress: float | None


class CertificateReissued(PublishedPayload):
    NAME: ClassVar[str] = "Certificate.Reissued"
    VERSION: ClassVar[int] = 2
    DATA_SUBJECT: ClassVar[str | None] = "user_id"
    learner_name: Sealed
    edition: int
    user_id: Uuid | None


class CertificateRevoked(PublishedPayload):
    NAME: ClassVar[str] = "Certificate.Revoked"
    reason: str
    revoked_by: Uuid


class TranscriptOpened(PublishedPayload):
    NAME: ClassVar[str] = "Transcript.Opened"
    user_id: Uuid


class TranscriptCertificateAdded(PublishedPayload):
    NAME: ClassVar[str] = "Transcript.CertificateAdded"
    certificate_id: Uuid
