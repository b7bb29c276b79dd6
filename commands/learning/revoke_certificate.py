"""An admin revokes a certificate: it stays verifiable, as revoked, under its unique id."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Learning
from commands.learning.issue_certificate import CertificateResult
from domain.actor import Actor
from domain.errors import ForbiddenError


@dataclass(frozen=True)
class RevokeCertificate:
    actor: Actor
    certificate_id: UUID
    reason: str


def revoke_certificate(cmd: RevokeCertificate, learning: Learning) -> CertificateResult:
    if not cmd.actor.is_admin:
        raise ForbiddenError("Only admins revoke certificates")
    certificate = learning.get_certificate(cmd.certificate_id)
    certificate.revoke(cmd.reason, cmd.actor.user_id)
    learning.save(certificate)
    return CertificateResult.of(certificate)
