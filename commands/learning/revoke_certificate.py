"""An admin revokes a certificate: it stays verifiable, as revoked, under its unique id."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Learning
from domain.actor import Actor
from domain.errors import ForbiddenError
from domain.learning.certificate import Certificate


@dataclass(frozen=True)
class RevokeCertificate:
    actor: Actor
    certificate_id: UUID
    reason: str


def revoke_certificate(cmd: RevokeCertificate, learning: Learning) -> Certificate:
    if not cmd.actor.is_admin:
        raise ForbiddenError("Only admins revoke certificates")
    certificate = learning.get_certificate(cmd.certificate_id)
    certificate.revoke(cmd.reason, cmd.actor.user_id)
    learning.save(certificate)
    return certificate
