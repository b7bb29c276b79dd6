"""The Certificate aggregate's rules, in memory: one per enrollment, a readable unique id that
never changes, re-issues for a corrected name, and revocation."""

from __future__ import annotations

import random
import re
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.learning.certificate import Certificate
from domain.learning.certificate_terms import CertificateRevokedError, unique_id_of

COMPLETED_AT = datetime(2025, 6, 1, 12, tzinfo=UTC)
ENROLLMENT, ADA, COURSE = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
ADMIN = uuid.uuid4()
UNIQUE_ID = re.compile(r"CMP-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}")


def issue() -> Certificate:
    certificate = Certificate.issue(
        ENROLLMENT, ADA, COURSE, "Ada Obi", "Event Sourcing", "Bola Ade", COMPLETED_AT
    )
    certificate.collect_events()
    return certificate


def event_names(certificate: Certificate) -> list[str]:
    return [type(e).__name__ for e in certificate.collect_events()]


def test_the_same_enrollment_always_has_the_same_certificate_id():
    assert Certificate.create_id(ENROLLMENT) == Certificate.create_id(ENROLLMENT)


def test_another_enrollment_has_another_certificate_id():
    assert Certificate.create_id(uuid.uuid4()) != Certificate.create_id(ENROLLMENT)


@given(st.uuids())
def test_a_unique_id_is_cmp_and_three_groups_of_four_base32_characters(certificate_id):
    assert UNIQUE_ID.fullmatch(unique_id_of(certificate_id))


@given(st.uuids())
def test_a_unique_id_is_the_same_every_time_for_the_same_id(certificate_id):
    assert unique_id_of(certificate_id) == unique_id_of(uuid.UUID(str(certificate_id)))


def test_ten_thousand_certificates_have_ten_thousand_different_unique_ids():
    enrollments = random.Random(2025)
    certificate_ids = {
        Certificate.create_id(uuid.UUID(int=enrollments.getrandbits(128), version=4))
        for _ in range(10_000)
    }

    assert len({unique_id_of(certificate_id) for certificate_id in certificate_ids}) == 10_000


def test_issuing_records_the_learner_course_and_a_first_edition():
    certificate = issue()

    assert (
        certificate.id,
        certificate.enrollment_id,
        certificate.user_id,
        certificate.course_id,
        certificate.learner_name,
        certificate.course_title,
        certificate.instructor_name,
        certificate.completed_at,
        certificate.issued_by,
        certificate.revoked,
        certificate.edition,
    ) == (
        Certificate.create_id(ENROLLMENT),
        ENROLLMENT,
        ADA,
        COURSE,
        "Ada Obi",
        "Event Sourcing",
        "Bola Ade",
        COMPLETED_AT,
        None,
        False,
        1,
    )


def test_issuing_derives_the_unique_id_from_the_certificate_id():
    assert issue().unique_id == unique_id_of(Certificate.create_id(ENROLLMENT))


def test_reissuing_with_a_new_name_is_the_next_edition_under_the_same_unique_id():
    certificate = issue()
    unique_id = certificate.unique_id

    certificate.reissue("Ada Obi-Okafor")

    assert event_names(certificate) == ["Reissued"]
    assert (certificate.learner_name, certificate.edition, certificate.unique_id) == (
        "Ada Obi-Okafor",
        2,
        unique_id,
    )


def test_reissuing_with_the_same_name_records_nothing():
    certificate = issue()

    certificate.reissue("Ada Obi")

    assert (event_names(certificate), certificate.edition) == ([], 1)


def test_a_revoked_certificate_cannot_be_reissued():
    certificate = issue()
    certificate.revoke("plagiarism", ADMIN)

    with pytest.raises(CertificateRevokedError):
        certificate.reissue("Ada Obi-Okafor")


def test_revoking_twice_records_one_event():
    certificate = issue()

    certificate.revoke("plagiarism", ADMIN)
    certificate.revoke("plagiarism again", ADMIN)

    assert event_names(certificate) == ["Revoked"]
    assert certificate.revoked
