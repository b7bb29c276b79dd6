"""Answers of the certificate reads (spec §5, §11): public verification and a learner's list.

Dates are ISO-8601 UTC. ``issueDate`` is when the certificate was first issued; a re-issue
(a corrected name) keeps it.
"""

from __future__ import annotations

from typing import Literal

from schemas.base import CamelModel

CertificateStatus = Literal["valid", "revoked"]


class CertificateVerificationView(CamelModel):
    unique_id: str
    valid: bool
    status: CertificateStatus
    learner_name: str | None  # null: issued to a learner who was erased since
    learner_erased: bool
    course_title: str
    instructor_name: str
    issue_date: str
    completed_at: str | None  # null for a certificate an admin issued by hand
    revoked_at: str | None


class CertificateListingView(CamelModel):
    certificate_id: str
    unique_id: str
    course_id: str
    course_title: str
    issue_date: str
    status: CertificateStatus
    download_url: str
    verification_url: str


class CertificatePage(CamelModel):
    certificates: list[CertificateListingView]
    page: int
    page_size: int
    total: int
