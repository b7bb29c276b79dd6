"""Tell a user of a fact: word the notice in their language, then request it on each channel
that reaches them.

It is worded when requested, from the reader's preferences at that moment; the notification
keeps that text, so a retry or a replay delivers the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from commands.applications import Identity, Notifications
from commands.notifications.request_notification import (
    RequestNotification,
    reachable_channels,
    request_notification,
)
from commands.notifications.wording import Value, Wording
from domain.notifications.notification import Notification


@dataclass(frozen=True)
class RequestNotice:
    user_id: UUID
    kind: str
    values: Mapping[str, Value]  # what the wording of ``kind`` names
    cause: str  # the fact behind it, as RequestNotification has it (here per notice)
    data: dict[str, str] = field(default_factory=dict)  # for the client, in no language


def request_notice(
    cmd: RequestNotice,
    notifications: Notifications,
    identity: Identity,
    wording: Wording,
    clock: Callable[[], datetime],
) -> list[Notification]:
    user = identity.get_user(cmd.user_id)
    worded = wording.word(cmd.kind, cmd.values, user.preferences)
    return [
        request_notification(
            RequestNotification(
                user.id,
                channel,
                cmd.kind,
                worded.subject,
                worded.message,
                cmd.cause,
                data=cmd.data,
            ),
            notifications,
            identity,
            clock,
        )
        for channel in reachable_channels(user)
    ]
