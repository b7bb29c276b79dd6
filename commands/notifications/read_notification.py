"""The recipient marks an in-app notification read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from commands.applications import Notifications
from domain.actor import Actor
from domain.notifications.notification import Notification


@dataclass(frozen=True)
class ReadNotification:
    actor: Actor
    notification_id: UUID


def read_notification(
    cmd: ReadNotification, notifications: Notifications, clock: Callable[[], datetime]
) -> Notification:
    notification = notifications.get_notification(cmd.notification_id)
    notification.mark_read(cmd.actor.user_id, clock())
    notifications.save(notification)
    return notification
