"""Certificates through the bus: earned by completing a course or issued by an admin, one per
learner and course, revoked for good, re-issued under a corrected name, and drawn with the
certificate template their course had when they were issued."""

from __future__ import annotations

import uuid

import pytest

from commands.courses.assign_certificate_template import AssignCertificateTemplate
from commands.courses.design_certificate_template import (
    CreateCertificateTemplate,
    ReviseCertificateTemplate,
    TemplateDraft,
)
from commands.learning.issue_certificate import GenerateCertificate, IssueCertificate
from commands.learning.reissue_certificates import ReissueCertificates
from commands.learning.revoke_certificate import RevokeCertificate
from commands.payments.refund_payment import RefundPayment
from commands.users.update_profile import UpdateProfile
from domain.actor import Actor
from domain.courses.certificate_design import (
    DEFAULT_COLOURS,
    CertificateTemplateNotFoundError,
    InvalidTemplateError,
)
from domain.courses.media_files import NotAnImageError
from domain.errors import ForbiddenError
from domain.learning.certificate_terms import CertificateRevokedError, NotEligibleError
from ops.bootstrap import Campus
from tests.unit.bus import (
    Course,
    admin,
    bought,
    completed,
    enrolled,
    instructor,
    person,
    published_course,
    study,
)


def generate(campus: Campus, learner: Actor, course: Course):
    return campus.bus.handle(GenerateCertificate(learner, learner.user_id, course.id))


def draft(title: str = "Certificate of {course}", **more) -> TemplateDraft:
    return TemplateDraft(
        "Classic", title, "Awarded to {learner}", dict(DEFAULT_COLOURS), "A4", "landscape", **more
    )


def test_completing_a_course_earns_a_certificate_in_the_learners_name(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    completed(campus, ada, course)
    issued = generate(campus, ada, course)
    certificate = campus.apps["learning"].get_certificate(issued.certificate.id)
    assert issued.created and certificate.learner_name == "Ada"
    transcript = campus.apps["learning"].read_transcript(ada.user_id)
    assert issued.certificate.id in transcript.certificate_ids


def test_an_unfinished_course_earns_no_certificate(campus):
    course, ada = published_course(campus, instructor(campus), lessons=2), person(campus, "Ada")
    enrolled(campus, ada, course)
    study(campus, ada, course, 0)
    with pytest.raises(NotEligibleError):
        generate(campus, ada, course)


def test_asking_again_answers_the_certificate_already_issued(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    completed(campus, ada, course)
    first = generate(campus, ada, course)
    again = generate(campus, ada, course)
    assert (again.created, again.certificate.id) == (False, first.certificate.id)


def test_a_learner_generates_only_their_own_certificates(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    completed(campus, ada, course)
    bob = person(campus, "Bob")
    with pytest.raises(ForbiddenError):
        campus.bus.handle(GenerateCertificate(bob, ada.user_id, course.id))


def test_a_course_refunded_in_full_earns_no_certificate(campus):
    course = published_course(campus, instructor(campus), price=100_000)
    ada = person(campus, "Ada")
    enrollment = bought(campus, ada, course)
    study(campus, ada, course)
    campus.bus.handle(RefundPayment(admin(campus), enrollment.payment_id, None, "refund"))
    with pytest.raises(NotEligibleError):
        generate(campus, ada, course)


def test_an_admin_issues_a_certificate_without_completion(campus):
    course, ada, root = (
        published_course(campus, instructor(campus)),
        person(campus, "Ada"),
        admin(campus),
    )
    issued = campus.bus.handle(IssueCertificate(root, ada.user_id, course.id))
    certificate = campus.apps["learning"].get_certificate(issued.certificate.id)
    assert certificate.issued_by == root.user_id and certificate.completed_at is None


def test_only_admins_issue_certificates_by_hand(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    with pytest.raises(ForbiddenError):
        campus.bus.handle(IssueCertificate(course.owner, ada.user_id, course.id))


def test_a_revoked_certificate_cannot_be_reissued(campus):
    course, ada, root = (
        published_course(campus, instructor(campus)),
        person(campus, "Ada"),
        admin(campus),
    )
    completed(campus, ada, course)
    certificate = generate(campus, ada, course).certificate
    campus.bus.handle(RevokeCertificate(root, certificate.id, "plagiarism"))
    with pytest.raises(CertificateRevokedError):
        generate(campus, ada, course)
    with pytest.raises(CertificateRevokedError):
        campus.bus.handle(IssueCertificate(root, ada.user_id, course.id))
    assert campus.apps["learning"].get_certificate(certificate.id).revoked


def test_only_admins_revoke_certificates(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    completed(campus, ada, course)
    certificate = generate(campus, ada, course).certificate
    with pytest.raises(ForbiddenError):
        campus.bus.handle(RevokeCertificate(course.owner, certificate.id, "no"))
    assert not campus.apps["learning"].get_certificate(certificate.id).revoked


def test_a_corrected_name_reissues_the_learners_certificates_under_the_same_id(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    completed(campus, ada, course)
    certificate = generate(campus, ada, course).certificate
    campus.bus.handle(UpdateProfile(ada.user_id, name="Ada Lovelace"))
    reissued = campus.apps["learning"].get_certificate(certificate.id)
    assert (reissued.learner_name, reissued.edition) == ("Ada Lovelace", 2)


def test_a_revoked_certificate_keeps_the_name_it_was_issued_with(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    completed(campus, ada, course)
    certificate = generate(campus, ada, course).certificate
    campus.bus.handle(RevokeCertificate(admin(campus), certificate.id, "plagiarism"))
    campus.bus.handle(UpdateProfile(ada.user_id, name="Ada Lovelace"))
    assert campus.bus.handle(ReissueCertificates(ada.user_id)) == 0
    assert campus.apps["learning"].get_certificate(certificate.id).learner_name == "Ada"


def test_only_admins_design_certificate_templates(campus):
    with pytest.raises(ForbiddenError):
        campus.bus.handle(CreateCertificateTemplate(instructor(campus), draft()))


def test_a_template_naming_an_unknown_placeholder_is_refused(campus):
    with pytest.raises(InvalidTemplateError):
        campus.bus.handle(CreateCertificateTemplate(admin(campus), draft("For {nickname}")))


def test_a_templates_logo_must_be_an_image_of_the_courses_media(campus):
    course = published_course(campus, instructor(campus))
    logo = (course.id, uuid.uuid4())
    with pytest.raises(NotAnImageError):
        campus.bus.handle(CreateCertificateTemplate(admin(campus), draft(logo=logo)))


def test_a_certificate_keeps_the_template_revision_it_was_issued_with(campus):
    course, ada, root = (
        published_course(campus, instructor(campus)),
        person(campus, "Ada"),
        admin(campus),
    )
    template = campus.bus.handle(CreateCertificateTemplate(root, draft()))
    campus.bus.handle(AssignCertificateTemplate(root, course.id, template.id))
    completed(campus, ada, course)
    certificate = generate(campus, ada, course).certificate
    revised = campus.bus.handle(ReviseCertificateTemplate(root, template.id, draft("Well done")))
    assert revised.revision == 2
    kept = campus.apps["learning"].get_certificate(certificate.id)
    assert (kept.template_id, kept.template_revision) == (template.id, 1)


def test_assigning_a_template_that_does_not_exist_is_not_found(campus):
    course = published_course(campus, instructor(campus))
    with pytest.raises(CertificateTemplateNotFoundError):
        campus.bus.handle(AssignCertificateTemplate(admin(campus), course.id, uuid.uuid4()))
    assert campus.apps["catalog"].get_course(course.id).certificate_template_id is None


def test_only_admins_assign_certificate_templates(campus):
    course, root = published_course(campus, instructor(campus)), admin(campus)
    template = campus.bus.handle(CreateCertificateTemplate(root, draft()))
    with pytest.raises(ForbiddenError):
        campus.bus.handle(AssignCertificateTemplate(course.owner, course.id, template.id))
