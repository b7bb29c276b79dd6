"""The read-model projections by name, and the groups a projector process runs together."""

from __future__ import annotations

from projections.audit_trail import AuditTrailProjection
from projections.base import Projection
from projections.catalog import CatalogProjection
from projections.certificate_templates import CertificateTemplatesProjection
from projections.certificates import CertificatesProjection
from projections.coupons import CouponsProjection
from projections.enrollments import EnrollmentsProjection
from projections.media import MediaProjection
from projections.notifications import NotificationsProjection
from projections.payments import PaymentsProjection
from projections.peer_reviews import PeerReviewsProjection
from projections.users import UsersProjection


def all_projections() -> dict[str, Projection]:
    return {
        p.name: p
        for p in (
            UsersProjection(),
            CatalogProjection(),
            MediaProjection(),
            PaymentsProjection(),
            CouponsProjection(),
            EnrollmentsProjection(),
            CertificatesProjection(),
            CertificateTemplatesProjection(),
            PeerReviewsProjection(),
            NotificationsProjection(),
            AuditTrailProjection(),
        )
    }


GROUPS = {"read-models": tuple(all_projections())}


def resolve(name: str) -> list[Projection]:
    """A projection by name, or every projection of a group."""
    projections = all_projections()
    names = GROUPS.get(name, (name,))
    unknown = [n for n in names if n not in projections]
    if unknown:
        raise KeyError(f"unknown projection: {', '.join(unknown)}")
    return [projections[n] for n in names]
