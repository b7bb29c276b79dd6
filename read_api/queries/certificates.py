"""Queries on the certificates read model: one certificate by id or by its public code, and a
learner's certificates, newest first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, func, select

from projections.certificates import ERASED, VALID, certificates
from schemas.base import iso_utc
from schemas.certificates import (
    CertificateListingView,
    CertificatePage,
    CertificateVerificationView,
)


def download_url(base: str, certificate_id: str) -> str:
    return f"{base}/api/certificates/{certificate_id}/download"


def name_on(row: RowMapping) -> str:
    """The name a certificate shows: its learner's, or that its learner was erased."""
    return row["learner_name"] or "an erased learner"


def verification_url(base: str, unique_id: str) -> str:
    return f"{base}/api/certificates/verify/{unique_id}"


def certificate_row(conn: Connection, certificate_id: str) -> RowMapping | None:
    found = conn.execute(
        select(certificates).where(certificates.c.certificate_id == certificate_id)
    )
    return found.mappings().first()


def verification(conn: Connection, unique_id: str) -> CertificateVerificationView | None:
    found = conn.execute(select(certificates).where(certificates.c.unique_id == unique_id)).first()
    if found is None:
        return None
    return CertificateVerificationView(
        unique_id=found.unique_id,
        valid=found.status == VALID,
        status=found.status,
        learner_name=found.learner_name or None,
        learner_erased=found.learner_name == ERASED,
        course_title=found.course_title,
        instructor_name=found.instructor_name,
        issue_date=iso_utc(found.issued_at),
        completed_at=iso_utc(found.completed_at) if found.completed_at else None,
        revoked_at=iso_utc(found.revoked_at) if found.revoked_at else None,
    )


def certificate_page(
    conn: Connection, user_id: str, page: int, page_size: int, base: str
) -> CertificatePage:
    """``base``: the public URL the download and verification links start with."""
    mine = certificates.c.user_id == user_id
    total = conn.execute(select(func.count()).select_from(certificates).where(mine)).scalar_one()
    rows = conn.execute(
        select(certificates)
        .where(mine)
        .order_by(certificates.c.issued_at.desc(), certificates.c.certificate_id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return CertificatePage(
        certificates=[listing(r, base) for r in rows], page=page, page_size=page_size, total=total
    )


def listing(row: Any, base: str) -> CertificateListingView:
    return CertificateListingView(
        certificate_id=row.certificate_id,
        unique_id=row.unique_id,
        course_id=row.course_id,
        course_title=row.course_title,
        issue_date=iso_utc(row.issued_at),
        status=row.status,
        download_url=download_url(base, row.certificate_id),
        verification_url=verification_url(base, row.unique_id),
    )
