"""An admin sends a user a message over one channel (spec §4 ``POST /api/notifications/send``).

The message, and the subject when one is given, go out as the admin typed them; a message
sent without a subject gets the announcement's, in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from commands.applications import Identity, Notifications
from commands.notifications.request_notification import RequestNotification, request_notification
from commands.notifications.wording import Wording
from domain.actor import Actor
from domain.errors import ForbiddenError, InvalidInputError
from domain.notifications.channels import Channel
from domain.notifications.notification import Notification


@dataclass(frozen=True)
class SendNotification:
    actor: Actor
    user_id: UUID
    channel: str  # the spec's "type": email, in_app or push
    message: str
    subject: str | None = None


def send_notification(
    cmd: SendNotification,
    notifications: Notifications,
    identity: Identity,
    wording: Wording,
    clock: Callable[[], datetime],
) -> Notification:
    if not cmd.actor.is_admin:
        raise ForbiddenError("Only admins may send notifications")
    try:
        channel = Channel(cmd.channel)
    except ValueError:
        choices = ", ".join(c.value for c in Channel)
        raise InvalidInputError(f"type must be one of {choices}") from None
    request = RequestNotification(
        cmd.user_id,
        channel,
        "announcement",
        cmd.subject or default_subject(cmd, identity, wording),
        cmd.message,
        cause=f"sent:{uuid4()}",  # every send is its own fact
        requested_by=cmd.actor.user_id,
    )
    return request_notification(request, notifications, identity, clock)


def default_subject(cmd: SendNotification, identity: Identity, wording: Wording) -> str:
    reader = identity.get_user(cmd.user_id).preferences
    return wording.word("announcement", {"message": cmd.message}, reader).subject
