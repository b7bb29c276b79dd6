"""Enroll many learners at once from an admin's list of (e-mail, course) rows, or, in a dry
run, say row by row what would happen without writing anything.

Each row is an admin grant made by the single enrollment's own rules (``admit`` and
``enroll``), so a dry run predicts a real run exactly: it runs the same checks and stops short
of saving, asking the event store instead whether the learner is enrolled already. A row that
fails is reported and the next one goes on; a real run saves each enrollment on its own, so a
run stopped halfway can simply be sent again (what it did reports ``already_enrolled``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from email_validator import EmailNotValidError, validate_email

from commands.applications import Catalog, Commerce, Identity, Learning, UserNotFoundError
from commands.learning.enroll import EnrollInCourse, admit, enroll
from domain.actor import Actor
from domain.courses.structure import CourseNotFoundError
from domain.errors import ForbiddenError, TooLargeError
from domain.learning.enrollment import AlreadyEnrolledError, Enrollment
from domain.users.unique_key import normalize_email

MAX_ROWS = 5000


class Outcome(StrEnum):
    ENROLLED = "enrolled"
    WOULD_ENROLL = "would_enroll"
    ALREADY_ENROLLED = "already_enrolled"
    UNKNOWN_USER = "unknown_user"
    UNKNOWN_COURSE = "unknown_course"
    DUPLICATE_ROW = "duplicate_row"
    INVALID_ROW = "invalid_row"


class TooManyRowsError(TooLargeError):
    """The list is longer than one bulk enrollment takes."""

    message = f"A bulk enrollment takes at most {MAX_ROWS} rows"


class InvalidRowError(ValueError):
    """A row's e-mail or course id is missing or malformed."""


@dataclass(frozen=True)
class BulkRow:
    """One data row as sent (text, stripped); the handler judges it."""

    email: str
    course_id: str


@dataclass(frozen=True)
class EnrollInBulk:
    actor: Actor
    rows: tuple[BulkRow, ...]
    dry_run: bool = False


@dataclass(frozen=True)
class RowReport:
    row: int  # 1-based, counting data rows only
    email: str
    course_id: str
    outcome: Outcome
    enrollment_id: UUID | None
    message: str


@dataclass(frozen=True)
class BulkReport:
    dry_run: bool
    rows: tuple[RowReport, ...]

    def totals(self) -> dict[Outcome, int]:
        counted = Counter(report.outcome for report in self.rows)
        return {outcome: counted[outcome] for outcome in Outcome}


Settled = tuple[Outcome, UUID | None, str]


def enroll_in_bulk(
    cmd: EnrollInBulk,
    learning: Learning,
    catalog: Catalog,
    commerce: Commerce,
    identity: Identity,
) -> BulkReport:
    if not cmd.actor.is_admin:
        raise ForbiddenError("Only admins enroll learners in bulk")
    if len(cmd.rows) > MAX_ROWS:
        raise TooManyRowsError(f"{TooManyRowsError.message}; this list has {len(cmd.rows)}")
    grants = Grants(cmd, learning, catalog, commerce, identity)
    reports = (
        RowReport(number, row.email, row.course_id, *grants.settle(number, row))
        for number, row in enumerate(cmd.rows, 1)
    )
    return BulkReport(cmd.dry_run, tuple(reports))


@dataclass
class Grants:
    """The rows of one bulk command, settled in order (a duplicate points at its first row)."""

    cmd: EnrollInBulk
    learning: Learning
    catalog: Catalog
    commerce: Commerce
    identity: Identity
    first_rows: dict[tuple[str, UUID], int] = field(default_factory=dict)

    def settle(self, number: int, row: BulkRow) -> Settled:
        try:
            email, course_id = checked(row)
        except InvalidRowError as problem:
            return Outcome.INVALID_ROW, None, str(problem)
        first = self.first_rows.setdefault((email, course_id), number)
        if first != number:
            return Outcome.DUPLICATE_ROW, None, f"Same e-mail and course as row {first}"
        user_id = self.identity.find_key_owner("email", email)
        if user_id is None:
            return Outcome.UNKNOWN_USER, None, "No user has this e-mail"
        return self.grant(EnrollInCourse(self.cmd.actor, user_id, course_id))

    def grant(self, request: EnrollInCourse) -> Settled:
        try:
            enrollment_id = self.admitted(request)
        except UserNotFoundError:
            return Outcome.UNKNOWN_USER, None, "No user has this e-mail"
        except CourseNotFoundError:
            return Outcome.UNKNOWN_COURSE, None, "No published course has this id"
        except AlreadyEnrolledError:
            existing = Enrollment.create_id(request.user_id, request.course_id)
            return Outcome.ALREADY_ENROLLED, existing, "Already enrolled in this course"
        if self.cmd.dry_run:
            return Outcome.WOULD_ENROLL, enrollment_id, "Would be enrolled"
        return Outcome.ENROLLED, enrollment_id, "Enrolled"

    def admitted(self, request: EnrollInCourse) -> UUID:
        """The enrollment's id, saved unless this is a dry run."""
        if not self.cmd.dry_run:
            return enroll(request, self.learning, self.catalog, self.commerce, self.identity).id
        enrollment = admit(request, self.catalog, self.commerce, self.identity).enrollment
        # What the real run would refuse: the id is (learner, course)'s.
        if (earlier := self.learning.find(enrollment.id)) is not None:
            earlier.readmit(enrollment.source, enrollment.payment_id, enrollment.granted_by)
        return enrollment.id


def checked(row: BulkRow) -> tuple[str, UUID]:
    """The row's e-mail as registration stores it, and its course id."""
    if not row.email:
        raise InvalidRowError("email is missing")
    if not row.course_id:
        raise InvalidRowError("courseId is missing")
    try:
        # The validator registration uses, so an address is normalized the way it was stored.
        email = validate_email(row.email, check_deliverability=False).normalized
    except EmailNotValidError:
        raise InvalidRowError("email is not a valid e-mail address") from None
    try:
        course_id = UUID(row.course_id)
    except ValueError:
        raise InvalidRowError("courseId is not a UUID") from None
    return normalize_email(email), course_id
