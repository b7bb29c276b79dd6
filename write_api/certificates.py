"""Certificates (spec §5, §10): generate one for a completed course, issue one by hand, revoke.

Generating twice answers the same certificate (201 the first time, 200 after).
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from commands.learning.issue_certificate import (
    CertificateResult,
    GenerateCertificate,
    IssueCertificate,
    Issued,
)
from commands.learning.revoke_certificate import RevokeCertificate
from infra.web.auth import AdminUser, CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from schemas.learning import CertificateRequest, CertificateResponse, CertificateRevokeRequest
from write_api.courses import actor
from write_api.deps import Bus

router = APIRouter(tags=["certificates"])


def answer(request: Request, certificate: CertificateResult, message: str) -> CertificateResponse:
    base = request.app.state.settings.public_base_url.rstrip("/")
    return CertificateResponse(
        certificate_id=str(certificate.id),
        unique_id=certificate.unique_id,
        certificate_url=f"{base}/api/certificates/{certificate.id}/download",
        verification_url=f"{base}/api/certificates/verify/{certificate.unique_id}",
        status="revoked" if certificate.revoked else "valid",
        message=message,
    )


def issued(request: Request, outcome: Issued) -> EnvelopeResponse:
    message = "Certificate generated successfully" if outcome.created else "Certificate exists"
    body = answer(request, outcome.certificate, message).model_dump(by_alias=True)
    return success(body, 201 if outcome.created else 200)


@router.post(
    "/api/certificates/generate", status_code=201, responses=documented(CertificateResponse, 201)
)
def generate(
    body: CertificateRequest, request: Request, user: CurrentUser, bus: Bus
) -> EnvelopeResponse:
    """The certificate of a completed, paid course (the same one when asked again)."""
    command = GenerateCertificate(actor(user), body.user_id or user.user_id, body.course_id)
    return issued(request, bus.handle(command))


@router.post(
    "/api/admin/certificates/issue",
    status_code=201,
    responses=documented(CertificateResponse, 201),
)
def issue(
    body: CertificateRequest, request: Request, user: AdminUser, bus: Bus
) -> EnvelopeResponse:
    """Issue a certificate by hand (admins): no completion required."""
    command = IssueCertificate(actor(user), body.user_id or user.user_id, body.course_id)
    return issued(request, bus.handle(command))


@router.post(
    "/api/admin/certificates/{certificate_id}/revoke", responses=documented(CertificateResponse)
)
def revoke(
    certificate_id: UUID,
    body: CertificateRevokeRequest,
    request: Request,
    user: AdminUser,
    bus: Bus,
) -> EnvelopeResponse:
    """Revoke a certificate; its verification then answers "revoked"."""
    certificate = bus.handle(RevokeCertificate(actor(user), certificate_id, body.reason))
    return success(answer(request, certificate, "Certificate revoked").model_dump(by_alias=True))
