"""Certificates (spec §5, §11): download one as a PDF, verify one by its public code, and list
the caller's. Verification is public; a certificate's PDF is its learner's and the admins'.

For anyone else a certificate does not exist (404), so its id reveals nothing. A revoked one
no longer downloads for its learner; admins still get it, stamped as revoked. A certificate
issued with a template is drawn from the revision it was issued with; one without, in the
default layout.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Request
from sqlalchemy import RowMapping
from starlette.responses import Response

from domain.errors import UnavailableError
from domain.learning.certificate_terms import CertificateNotFoundError
from infra.certificates.values import values_of
from infra.security.tokens import AccessClaims
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from projections.certificates import VALID
from read_api.certificate_templates import rendered
from read_api.consistency import consistent_with
from read_api.deps import Page, PageSize, ReadDb
from read_api.queries.certificate_templates import revision_design
from read_api.queries.certificates import (
    certificate_page,
    certificate_row,
    name_on,
    verification,
    verification_url,
)
from schemas.certificates import CertificatePage, CertificateVerificationView

router = APIRouter(tags=["certificates"])
Fresh = Depends(consistent_with("certificates"))
PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}


def public_base(request: Request) -> str:
    return request.app.state.settings.public_base_url.rstrip("/")


# Declared before the download route: ".../verify/download" must reach verification.
@router.get(
    "/api/certificates/verify/{unique_id}",
    dependencies=[Fresh],
    responses=documented(CertificateVerificationView),
)
def verify(unique_id: Annotated[str, Path(max_length=64)], db: ReadDb) -> EnvelopeResponse:
    """Verify a certificate by its unique id: public, no sign-in needed."""
    found = verification(db, unique_id.strip().upper())  # codes are read out and retyped
    if found is None:
        raise CertificateNotFoundError
    return success(found)


@router.get(
    "/api/certificates/{certificate_id}/download",
    # The template revision it renders with, too: an admin who revised a template and then
    # issued by hand reads both their writes.
    dependencies=[Fresh, Depends(consistent_with("certificate_templates"))],
    response_class=Response,
    responses=documented() | {200: {"description": "The certificate as a PDF", **PDF}},
)
def download(certificate_id: UUID, request: Request, user: CurrentUser) -> Response:
    """Download a certificate as a PDF (its learner, or an admin)."""
    row = downloadable(request, str(certificate_id), user)
    pdf = templated(request, row) if row["template_id"] else default(request, row)
    headers = {
        "Content-Disposition": "attachment; filename=certificate.pdf",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(pdf, media_type="application/pdf", headers=headers)


def default(request: Request, row: RowMapping) -> bytes:
    # reportlab loads with the first certificate drawn, not with every process that serves reads
    from infra.certificates.pdf import render_certificate

    return render_certificate(
        learner_name=name_on(row),
        course_title=row["course_title"],
        instructor_name=row["instructor_name"],
        awarded_at=row["completed_at"] or row["issued_at"],
        unique_id=row["unique_id"],
        verification_url=verification_url(public_base(request), row["unique_id"]),
        revoked=row["status"] != VALID,
    )


def templated(request: Request, row: RowMapping) -> bytes:
    with request.app.state.read_engine.connect() as db:
        design = revision_design(db, row["template_id"], row["template_revision"])
    if design is None:  # the template's projection is behind the certificate's: rare, brief
        raise UnavailableError("The certificate's template is not available yet; try again")
    awarded_at = row["completed_at"] or row["issued_at"]
    values = values_of(
        name_on(row), row["course_title"], row["instructor_name"], awarded_at, row["progress"]
    )
    revoked = row["status"] != VALID
    return rendered(request, design, values, row["unique_id"], public_base(request), revoked)


def downloadable(request: Request, certificate_id: str, viewer: AccessClaims) -> RowMapping:
    # A connection of its own, returned before rendering: the PDF takes longer than the query.
    with request.app.state.read_engine.connect() as db:
        row = certificate_row(db, certificate_id)
    if row is None or not may_download(row, viewer):
        raise CertificateNotFoundError
    return row


def may_download(row: RowMapping, viewer: AccessClaims) -> bool:
    if viewer.role == "admin":
        return True
    return row["user_id"] == str(viewer.user_id) and row["status"] == VALID


@router.get("/api/user/certificates", dependencies=[Fresh], responses=documented(CertificatePage))
def list_certificates(
    request: Request,
    user: CurrentUser,
    db: ReadDb,
    page: Page = 1,
    page_size: PageSize = 20,
) -> EnvelopeResponse:
    """The caller's certificates, newest first, with their download and verification links."""
    base = public_base(request)
    return success(certificate_page(db, str(user.user_id), page, page_size, base))
