"""The event-sourced applications and how aggregates are grouped into them.

An application is one event table and one notification log; on PostgreSQL every insert locks
its table, so aggregates that are written independently live in separate applications:

* ``identity`` — User, UniqueKey and PushDevice: a registration writes the user and its unique
  claims in one transaction, which is what makes e-mail uniqueness race-free; a device token
  changes hands with both users' lists in one transaction too.
* ``sessions`` — Session: logins and refreshes are the most frequent writes and touch no
  other aggregate, so they do not queue behind registrations.
* ``catalog`` — Course, MediaLibrary and CertificateTemplate: authoring is rare next to
  learning, and a course's structure changes as one aggregate. A template shows images of the
  media libraries and is assigned to courses, so the handlers check both in the one store.
* ``commerce`` — Coupon, Payment, CoursePurchase and IdempotencyKey: a checkout holds a
  coupon use, opens the learner's purchase, claims its idempotency key and records the
  payment in one transaction, so none of them can exist without the others.
* ``notifications`` — Notification: every message sent, with each delivery attempt; written
  by senders and policies, never in the same transaction as what caused it.
* ``learning`` — Enrollment (with its progress), Certificate and Transcript: the most frequent
  writes of a learning platform are progress updates, which touch nothing else. Peer review
  (Submission, ReviewQueue, ReviewAssignment) lives here too: it is written far less often than
  progress, and keeping it beside the enrollments it checks costs no extra event table.

Handlers only see ``app.save(...)``; that call is the unit of work, and the seam where
concurrent commands may later share one transaction (group commit).
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    Recording,
    project_aggregate,
)
from eventsourcing.persistence import Notification as LogNotification
from eventsourcing.persistence import StoredEvent

from domain.commerce.coupon import Coupon, CouponNotFoundError
from domain.commerce.course_purchase import CoursePurchase
from domain.commerce.idempotency_key import IdempotencyKey
from domain.commerce.payment import Payment
from domain.commerce.payment_terms import PaymentNotFoundError
from domain.courses.certificate_design import CertificateTemplateNotFoundError
from domain.courses.certificate_template import CertificateTemplate
from domain.courses.course import Course
from domain.courses.media_library import MediaLibrary
from domain.courses.structure import CourseNotFoundError
from domain.errors import DomainError, NotFoundError
from domain.learning.certificate import Certificate
from domain.learning.certificate_terms import CertificateNotFoundError
from domain.learning.enrollment import Enrollment
from domain.learning.enrollment_terms import EnrollmentNotFoundError
from domain.learning.transcript import Transcript
from domain.notifications.notification import Notification, NotificationNotFoundError
from domain.reviews.review_assignment import AssignmentNotFoundError, ReviewAssignment
from domain.reviews.review_queue import NothingToReviewError, ReviewQueue
from domain.reviews.submission import Submission, SubmissionNotFoundError
from domain.users.push_device import PushDevice
from domain.users.session import Session, SessionRevokedError
from domain.users.unique_key import UniqueKey
from domain.users.user import User

# What the current request saved, as (application, notification position): the write API
# turns it into a consistency token without handlers knowing about it.
saved_in_request: contextvars.ContextVar[list[tuple[str, int]] | None] = contextvars.ContextVar(
    "saved_in_request", default=None
)


class UserNotFoundError(NotFoundError):
    """No user has this id."""

    message = "User not found"


class Committer(Protocol):
    """Writes one save's stored events atomically, possibly sharing a transaction with others."""

    def commit(self, events: Sequence[StoredEvent]) -> Sequence[int]: ...

    def close(self) -> None: ...


class CampusApplication(Application[UUID]):
    """An application that reports what each save recorded to the current request, and that
    can hand its inserts to a committer (group commit) instead of one transaction per save."""

    committer: Committer | None = None
    # Told this application's name after each save: this process's followers have news to read.
    on_saved: Callable[[str], None] | None = None
    STRIPES = 64

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stripes = [threading.Lock() for _ in range(self.STRIPES)]
        self._cached = [threading.Lock() for _ in range(self.STRIPES)]

    def exclusive(self, aggregate_id: UUID) -> threading.Lock:
        """A lock serializing this process's commands on one aggregate.

        Threads of one process that would race for a hot aggregate's next version (a coupon
        everyone uses) queue on it instead, rather than all but one losing the optimistic race
        and retrying; other processes still race, and their losers retry. Locks are striped:
        two aggregates may share one, so hold at most one at a time.
        """
        return self._stripes[aggregate_id.int % self.STRIPES]

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        if self.committer is None or processing_event.tracking is not None:
            return super()._record(processing_event)
        # Mapped here, in the caller's thread, where the request's correlation id lives.
        stored = [self.mapper.to_stored_event(e) for e in processing_event.events]
        ids = self.committer.commit(stored) if stored else []
        return [
            Recording(
                event,
                LogNotification(
                    id=n,
                    originator_id=s.originator_id,
                    originator_version=s.originator_version,
                    topic=s.topic,
                    state=s.state,
                ),
            )
            for event, s, n in zip(processing_event.events, stored, ids, strict=True)
        ]

    def close(self) -> None:
        if self.committer is not None:
            self.committer.close()
        super().close()

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        recordings = super().save(*objs, **kwargs)
        if recordings and self.on_saved is not None:
            self.on_saved(self.name)
        saved = saved_in_request.get()
        if saved is not None:
            saved.extend((self.name, r.notification.id) for r in recordings)
        return recordings

    def get(self, aggregate_id: UUID, deepcopy_from_cache: bool = True) -> Any:
        """The aggregate from the repository, whose cache is shared by this process's threads.

        Fast-forwarding applies new events to the cached aggregate in place, and the library
        takes a command's copy after letting go of its fast-forward lock: a copy taken while
        another thread fast-forwarded the same aggregate failed ("dictionary changed size
        during iteration"). So one aggregate's reads take turns here; the lock is held for
        the read alone, never nested, so striping cannot deadlock it.
        """
        with self.read_lock(aggregate_id):
            return self.repository.get(aggregate_id, deepcopy_from_cache=deepcopy_from_cache)

    def read_lock(self, aggregate_id: UUID) -> threading.Lock:
        """The lock one aggregate's reads take turns on (striped, as ``exclusive`` is)."""
        return self._cached[aggregate_id.int % self.STRIPES]

    def find(self, aggregate_id: UUID) -> Any:
        """The aggregate, or None when it has no events yet."""
        try:
            return self.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def load(self, aggregate_id: UUID, missing: type[DomainError]) -> Any:
        """The aggregate, or ``missing`` raised when it has no events."""
        try:
            return self.get(aggregate_id)
        except AggregateNotFoundError:
            raise missing from None

    @contextmanager
    def reading(self, aggregate_id: UUID, missing: type[DomainError]) -> Iterator[Any]:
        """The aggregate to read, never to change or save: the cached one itself, held still
        while the caller reads it.

        A command gets its own deep copy so that a failed command cannot corrupt the cache;
        one that only reads another aggregate (progress asks the course which lessons count)
        need not pay for copying it (0.16 ms for a course of 20 lessons, half the handler).
        But the next read of the aggregate fast-forwards the cached one in place, so the
        reader holds the aggregate's stripe until it is done: take what is needed, and read
        nothing else of this application meanwhile.
        """
        with self.read_lock(aggregate_id):
            try:
                aggregate = self.repository.get(aggregate_id, deepcopy_from_cache=False)
            except AggregateNotFoundError:
                raise missing from None
            yield aggregate


class Identity(CampusApplication):
    """Users and the unique values they claim."""

    name = "identity"

    def get_user(self, user_id: UUID) -> User:
        return self.load(user_id, UserNotFoundError)

    def find_key_owner(self, kind: str, value: str) -> UUID | None:
        key = self.find_key(kind, value)
        return key.owner_id if key else None

    def find_key(self, kind: str, value: str) -> UniqueKey | None:
        return self.find(UniqueKey.create_id(kind, value))

    def find_push_device(self, token: str) -> PushDevice | None:
        return self.find(PushDevice.create_id(token))


class Sessions(CampusApplication):
    """Refresh-token families."""

    name = "sessions"

    def get_session(self, session_id: UUID) -> Session:
        return self.load(session_id, SessionRevokedError)


class Catalog(CampusApplication):
    """Courses with their structure, each course's media library, and certificate templates."""

    name = "catalog"

    def get_course(self, course_id: UUID) -> Course:
        return self.load(course_id, CourseNotFoundError)

    def reading_course(self, course_id: UUID) -> AbstractContextManager[Course]:
        """The course, to read only while the block runs (see ``reading``)."""
        return self.reading(course_id, CourseNotFoundError)

    def get_media_library(self, course_id: UUID) -> MediaLibrary:
        """The course's media library, or a new one for its first upload."""
        library = self.find(MediaLibrary.create_id(course_id))
        return library if library is not None else MediaLibrary(course_id)

    def get_certificate_template(self, template_id: UUID) -> CertificateTemplate:
        return self.load(template_id, CertificateTemplateNotFoundError)


class Commerce(CampusApplication):
    """Coupons, payments, each learner's purchases and the idempotency keys of checkouts."""

    name = "commerce"

    def get_payment(self, payment_id: UUID) -> Payment:
        return self.load(payment_id, PaymentNotFoundError)

    def get_coupon(self, code: str) -> Coupon:
        return self.load(Coupon.create_id(code), CouponNotFoundError)

    def get_purchase(self, user_id: UUID, course_id: UUID) -> CoursePurchase:
        """The learner's purchase of the course, or a new one for their first checkout."""
        found = self.find(CoursePurchase.create_id(user_id, course_id))
        return found or CoursePurchase(user_id, course_id)

    def find_idempotency_key(self, user_id: UUID, key: str) -> IdempotencyKey | None:
        return self.find(IdempotencyKey.create_id(user_id, key))


class Learning(CampusApplication):
    """Enrollments with their progress, certificates, each learner's transcript, and peer
    review: submissions, each module's review queue and the assignments it hands out."""

    name = "learning"
    # Progress updates make enrollments long: load from a recent snapshot, not from the start.
    snapshotting_intervals = {Enrollment: 50}

    def get_enrollment(self, enrollment_id: UUID) -> Enrollment:
        return self.load(enrollment_id, EnrollmentNotFoundError)

    def get_certificate(self, certificate_id: UUID) -> Certificate:
        return self.load(certificate_id, CertificateNotFoundError)

    def transcript_of(self, user_id: UUID) -> Transcript:
        return self.find(Transcript.create_id(user_id)) or Transcript(user_id)

    def read_transcript(self, user_id: UUID) -> Transcript | None:
        """The learner's transcript to read, or None when nothing was ever issued to them.

        From its events alone, in one query: a transcript is short and never snapshotted, and
        most learners have none, which through the repository costs a snapshot query too (and
        a miss is never cached).
        """
        return project_aggregate(None, self.events.get(Transcript.create_id(user_id)))

    def get_assignment(self, assignment_id: UUID) -> ReviewAssignment:
        return self.load(assignment_id, AssignmentNotFoundError)

    def get_submission(self, submission_id: UUID) -> Submission:
        return self.load(submission_id, SubmissionNotFoundError)

    def get_review_queue(self, course_id: UUID, module_id: str) -> ReviewQueue:
        """The module's queue; a module nobody submitted work for has nothing to review."""
        return self.load(ReviewQueue.create_id(course_id, module_id), NothingToReviewError)


class Notifications(CampusApplication):
    """Notifications and their delivery histories."""

    name = "notifications"

    def get_notification(self, notification_id: UUID) -> Notification:
        return self.load(notification_id, NotificationNotFoundError)


APPLICATIONS: tuple[type[CampusApplication], ...] = (
    Identity,
    Sessions,
    Catalog,
    Commerce,
    Learning,
    Notifications,
)
