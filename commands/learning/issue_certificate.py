"""Issue a certificate: earned by completing a paid (or free, or granted) enrollment, or issued
by an admin by hand. Either way there is one certificate per learner and course: asking again
answers the certificate already issued. It is issued with the course's certificate template as
revised at that moment (none: the default layout), and with the learner's progress in the
course, which the template shows as the grade."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.applications import Catalog, Commerce, Identity, Learning
from commands.learning.enroll import PAID
from domain.actor import Actor
from domain.errors import ForbiddenError
from domain.learning.certificate import Certificate
from domain.learning.certificate_terms import CertificateRevokedError, NotEligibleError
from domain.learning.enrollment import Enrollment
from domain.learning.enrollment_terms import Source


@dataclass(frozen=True)
class GenerateCertificate:
    actor: Actor
    user_id: UUID
    course_id: UUID


@dataclass(frozen=True)
class IssueCertificate:
    """An admin's manual issue: no completion required."""

    actor: Actor
    user_id: UUID
    course_id: UUID


@dataclass(frozen=True)
class CertificateResult:
    """A certificate as its answer shows it, apart from the aggregate."""

    id: UUID
    unique_id: str  # what verification looks it up by
    revoked: bool

    @classmethod
    def of(cls, certificate: Certificate) -> CertificateResult:
        return cls(certificate.id, certificate.unique_id, certificate.revoked)


@dataclass(frozen=True)
class Issued:
    certificate: CertificateResult
    created: bool  # False: it existed already


def generate_certificate(
    cmd: GenerateCertificate,
    learning: Learning,
    catalog: Catalog,
    commerce: Commerce,
    identity: Identity,
) -> Issued:
    if cmd.user_id != cmd.actor.user_id and not cmd.actor.is_admin:
        raise ForbiddenError("You can only generate your own certificates")
    enrollment: Enrollment | None = learning.find(Enrollment.create_id(cmd.user_id, cmd.course_id))
    if enrollment is None or not enrollment.is_completed:
        raise NotEligibleError("Invalid input data or incomplete course")
    if enrollment.source is Source.PAYMENT:
        payment = commerce.find(enrollment.payment_id)
        if payment is None or payment.status not in PAID:
            raise NotEligibleError("The payment for this course was refunded")
    return issue(learning, catalog, identity, cmd, enrollment, enrollment.completed_at, None)


def issue_certificate(
    cmd: IssueCertificate, learning: Learning, catalog: Catalog, identity: Identity
) -> Issued:
    if not cmd.actor.is_admin:
        raise ForbiddenError("Only admins issue certificates by hand")
    enrollment = learning.find(Enrollment.create_id(cmd.user_id, cmd.course_id))
    return issue(learning, catalog, identity, cmd, enrollment, None, cmd.actor.user_id)


def issue(
    learning: Learning,
    catalog: Catalog,
    identity: Identity,
    cmd: GenerateCertificate | IssueCertificate,
    enrollment: Enrollment | None,
    completed_at: object,
    issued_by: UUID | None,
) -> Issued:
    """``enrollment``: the learner's in the course, if any (an admin may issue without)."""
    enrollment_id = Enrollment.create_id(cmd.user_id, cmd.course_id)
    existing = learning.find(Certificate.create_id(enrollment_id))
    if existing is not None:
        return answer_existing(existing)
    course = catalog.get_course(cmd.course_id)
    certificate = Certificate.issue(
        enrollment_id,
        cmd.user_id,
        cmd.course_id,
        identity.get_user(cmd.user_id).name,
        course.title,
        identity.get_user(course.instructor_id).name,
        completed_at,  # type: ignore[arg-type]
        issued_by,
        template_of(catalog, course.certificate_template_id),
        enrollment.progress if enrollment else None,
    )
    transcript = learning.transcript_of(cmd.user_id)
    transcript.add(certificate.id)
    try:
        learning.save(certificate, transcript)
    except IntegrityError:  # issued meanwhile, by a concurrent request
        return answer_existing(learning.get_certificate(certificate.id))
    return Issued(CertificateResult.of(certificate), created=True)


def template_of(catalog: Catalog, template_id: str | None) -> tuple[UUID, int] | None:
    """The template and its current revision, as the certificate keeps them."""
    if template_id is None:
        return None
    template = catalog.get_certificate_template(UUID(template_id))
    return template.id, template.revision


def answer_existing(certificate: Certificate) -> Issued:
    if certificate.revoked:
        raise CertificateRevokedError
    return Issued(CertificateResult.of(certificate), created=False)
