"""A learner's payment history (spec §3); admins list anyone's payments, or everyone's."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from domain.errors import ForbiddenError
from infra.security.tokens import AccessClaims
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.deps import Page, PageSize, ReadDb
from read_api.queries.payments import payment_page
from schemas.payment_listings import PaymentPage, PaymentStatus

router = APIRouter(prefix="/api/payments", tags=["payments"])


@router.get(
    "",
    dependencies=[Depends(consistent_with("payments"))],
    responses=documented(PaymentPage, errors=(403,)),
)
def list_payments(
    viewer: CurrentUser,
    db: ReadDb,
    page: Page = 1,
    page_size: PageSize = 20,
    status: PaymentStatus | None = None,
    user_id: Annotated[UUID | None, Query(alias="userId")] = None,
) -> EnvelopeResponse:
    """The caller's payments, newest first; admins may name any user, or none for all."""
    return success(payment_page(db, page, page_size, payer_listed(viewer, user_id), status))


def payer_listed(viewer: AccessClaims, user_id: UUID | None) -> str | None:
    """Whose payments the viewer sees: their own; an admin's choice (None: everyone's)."""
    if viewer.role == "admin":
        return str(user_id) if user_id else None
    if user_id is not None and user_id != viewer.user_id:
        raise ForbiddenError("You can only list your own payments")
    return str(viewer.user_id)
