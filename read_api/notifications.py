"""Notifications (spec §4): the delivery log and the in-app inbox.

Everyone reads their own; an admin may read anyone's log, or everyone's.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from domain.errors import ForbiddenError, NotFoundError
from infra.security.tokens import AccessClaims
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.deps import Page, PageSize, ReadDb
from read_api.queries.notifications import inbox_page, log_page
from schemas.notifications import InboxPage, NotificationLogPage

router = APIRouter(prefix="/api/notifications", tags=["notifications"])
Fresh = Depends(consistent_with("notifications"))


class NoLogsError(NotFoundError):
    message = "No logs found"


@router.get(
    "/log", dependencies=[Fresh], responses=documented(NotificationLogPage, errors=(403, 404))
)
def delivery_log(
    viewer: CurrentUser,
    db: ReadDb,
    user_id: Annotated[UUID | None, Query(alias="userId")] = None,
    notification_id: Annotated[UUID | None, Query(alias="notificationId")] = None,
    page: Page = 1,
    page_size: PageSize = 20,
) -> EnvelopeResponse:
    """Each delivery step of your notifications, newest first (admins: any user's)."""
    logs = log_page(
        db,
        whose_log(viewer, user_id),
        str(notification_id) if notification_id else None,
        page,
        page_size,
    )
    if logs.total == 0:
        raise NoLogsError
    return success(logs.model_dump(by_alias=True))


def whose_log(viewer: AccessClaims, user_id: UUID | None) -> str | None:
    """The viewer's own log; an admin's choice (None: everyone's)."""
    if viewer.role == "admin":
        return str(user_id) if user_id else None
    if user_id is not None and user_id != viewer.user_id:
        raise ForbiddenError("You can only read your own notification log")
    return str(viewer.user_id)


@router.get("", dependencies=[Fresh], responses=documented(InboxPage))
def inbox(
    viewer: CurrentUser,
    db: ReadDb,
    unread: bool = False,
    page: Page = 1,
    page_size: PageSize = 20,
) -> EnvelopeResponse:
    """Your in-app notifications, newest first, with how many are unread."""
    return success(
        inbox_page(db, str(viewer.user_id), unread, page, page_size).model_dump(by_alias=True)
    )
