"""Request a notification for a user over one channel, as the user's preferences allow.

Requesting is idempotent: the notification's id comes from its cause, so asking again for the
same fact answers the notification already requested. An in-app notification is delivered by
being stored, so it is sent as it is requested; the other channels wait for the sender.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.applications import Identity, Notifications
from domain.errors import ConflictError
from domain.notifications.channels import Channel
from domain.notifications.notification import Notification
from domain.users.user import User


class ChannelOffError(ConflictError):
    """The user turned this channel off in their preferences."""


class NoPushDeviceError(ConflictError):
    message = "The user has no device registered for push notifications"


@dataclass(frozen=True)
class RequestNotification:
    user_id: UUID
    channel: Channel
    kind: str
    subject: str
    message: str
    cause: str  # the fact behind it: the same cause and channel make the same notification
    requested_by: UUID | None = None
    data: dict[str, str] = field(default_factory=dict)


def request_notification(
    cmd: RequestNotification,
    notifications: Notifications,
    identity: Identity,
    clock: Callable[[], datetime],
) -> Notification:
    ensure_reachable(identity.get_user(cmd.user_id), cmd.channel)
    existing = notifications.find(Notification.create_id(cmd.cause, cmd.channel.value))
    if existing is not None:
        return existing
    now = clock()
    notification = Notification.request(
        cmd.user_id,
        cmd.channel,
        cmd.kind,
        cmd.subject,
        cmd.message,
        cmd.cause,
        now,
        cmd.requested_by,
        cmd.data,
    )
    if cmd.channel is Channel.IN_APP:
        notification.mark_sent(now)
    try:
        notifications.save(notification)
    except IntegrityError:  # requested at the same moment by another sender
        return notifications.get_notification(notification.id)
    return notification


def ensure_reachable(user: User, channel: Channel) -> None:
    if channel.value not in user.preferences.channels:
        raise ChannelOffError(f"The user has turned {channel.value} notifications off")
    if channel is Channel.PUSH and not user.push_devices:
        raise NoPushDeviceError


def reachable_channels(user: User) -> list[Channel]:
    """The channels a notice for this user goes out on: those they chose that can reach them."""
    return [
        channel
        for channel in map(Channel, user.preferences.channels)
        if channel is not Channel.PUSH or user.push_devices
    ]
