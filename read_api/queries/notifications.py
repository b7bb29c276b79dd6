"""Queries on the notifications read model: a user's delivery log and in-app inbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from domain.notifications.channels import Channel
from projections.notifications import notification_log, notifications
from schemas.base import iso_utc
from schemas.notifications import InboxItemView, InboxPage, LogEntryView, NotificationLogPage


def log_page(
    conn: Connection,
    user_id: str | None,
    notification_id: str | None,
    page: int,
    page_size: int,
) -> NotificationLogPage:
    """Delivery steps, newest first: one user's (None: everyone's), or one notification's."""
    filters = []
    if user_id is not None:
        filters.append(notification_log.c.user_id == user_id)
    if notification_id is not None:
        filters.append(notification_log.c.notification_id == notification_id)
    total = conn.execute(
        select(func.count()).select_from(notification_log).where(*filters)
    ).scalar_one()
    rows = conn.execute(
        select(notification_log)
        .where(*filters)
        .order_by(
            notification_log.c.recorded_at.desc(),
            notification_log.c.notification_id,
            notification_log.c.step.desc(),
        )
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return NotificationLogPage(
        logs=[log_entry(r) for r in rows], page=page, page_size=page_size, total=total
    )


def log_entry(row: Any) -> LogEntryView:
    return LogEntryView(
        log_id=row.log_id,
        notification_id=row.notification_id,
        user_id=row.user_id,
        type=row.channel,
        delivery_status=row.delivery_status,
        attempt=row.attempt,
        error=row.error,
        delivered_at=iso_utc(row.delivered_at) if row.delivered_at else None,
        recorded_at=iso_utc(row.recorded_at),
    )


def inbox_page(
    conn: Connection, user_id: str, unread_only: bool, page: int, page_size: int
) -> InboxPage:
    mine = [notifications.c.user_id == user_id, notifications.c.channel == Channel.IN_APP.value]
    unread = [*mine, notifications.c.read_at.is_(None)]
    listed = unread if unread_only else mine
    count = select(func.count()).select_from(notifications)
    rows = conn.execute(
        select(notifications)
        .where(*listed)
        .order_by(notifications.c.created_at.desc(), notifications.c.notification_id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return InboxPage(
        notifications=[inbox_item(r) for r in rows],
        unread=conn.execute(count.where(*unread)).scalar_one(),
        page=page,
        page_size=page_size,
        total=conn.execute(count.where(*listed)).scalar_one(),
    )


def inbox_item(row: Any) -> InboxItemView:
    return InboxItemView(
        notification_id=row.notification_id,
        kind=row.kind,
        subject=row.subject,
        message=row.message,
        data=row.data,
        read=row.read_at is not None,
        read_at=iso_utc(row.read_at) if row.read_at else None,
        created_at=iso_utc(row.created_at),
    )
