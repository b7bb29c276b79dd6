"""Deliver a requested notification: attempt, back off and attempt again, then give up.

Each attempt that fails is recorded before the next, so the delivery log shows every try even
when the sender stops half-way; a sender that starts again resumes with the attempts left.
A permanent error (a rejected address, an unregistered device) fails at once: asking again
would only be refused again.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from commands.applications import Identity, Notifications
from commands.notifications.ports import DeliveryError, Email, Mailer, Push, PushSender
from domain.notifications.channels import Channel
from domain.notifications.notification import Notification
from domain.users.user import User

MAX_WAIT_SECONDS = 60.0


@dataclass(frozen=True)
class DeliveryRules:
    attempts: int  # in all, across restarts of the sender
    backoff_seconds: float  # the wait before the second attempt; it doubles after each


@dataclass(frozen=True)
class DeliverNotification:
    notification_id: UUID


def deliver_notification(
    cmd: DeliverNotification,
    notifications: Notifications,
    identity: Identity,
    mailer: Mailer,
    push_sender: PushSender,
    delivery_rules: DeliveryRules,
    clock: Callable[[], datetime],
) -> Notification:
    notification = notifications.get_notification(cmd.notification_id)
    left = delivery_rules.attempts - notification.attempts
    if not notification.is_pending:
        return notification
    if left < 1:  # the attempts allowed were lowered since: it has had its share
        notification.give_up("no delivery attempts left", clock())
        notifications.save(notification)
        return notification
    user = identity.get_user(notification.user_id)
    if user.is_erased:  # nothing left to send, nor anyone to send it to
        notification.give_up("the recipient was erased", clock())
        notifications.save(notification)
        return notification
    attempts = Retrying(
        stop=stop_after_attempt(left),
        wait=wait_exponential(multiplier=delivery_rules.backoff_seconds, max=MAX_WAIT_SECONDS),
        retry=retry_if_exception(lambda e: isinstance(e, DeliveryError) and not e.permanent),
        reraise=True,
    )
    try:
        for attempt in attempts:
            with attempt:
                try:
                    transmit(notification, user, mailer, push_sender, identity)
                except DeliveryError as error:
                    last = error.permanent or attempt.retry_state.attempt_number >= left
                    notification.attempt_failed(error.reason, clock(), final=last)
                    notifications.save(notification)
                    raise
    except DeliveryError:
        return notification
    notification.mark_sent(clock())
    notifications.save(notification)
    return notification


def transmit(
    notification: Notification,
    user: User,
    mailer: Mailer,
    push_sender: PushSender,
    identity: Identity,
) -> None:
    if notification.channel is Channel.EMAIL:
        mailer.send(
            Email(
                str(notification.id),
                user.email,
                user.name,
                notification.subject,
                notification.message,
            )
        )
    elif notification.channel is Channel.PUSH:
        push_to_devices(notification, user, push_sender, identity)


def push_to_devices(
    notification: Notification, user: User, push_sender: PushSender, identity: Identity
) -> None:
    """Push to each of the user's devices: delivered when one of them took it. Devices that
    are gone for good are forgotten, so later pushes do not try them again."""
    devices = list(user.push_devices)
    if not devices:
        raise DeliveryError("the user has no device registered for push", permanent=True)
    errors: list[DeliveryError] = []
    for token in devices:
        data = {"notificationId": str(notification.id), "kind": notification.kind}
        push = Push(
            str(notification.id),
            token,
            notification.subject,
            notification.message,
            data | notification.data,
        )
        try:
            push_sender.send(push)
        except DeliveryError as error:
            errors.append(error)
            if error.permanent:
                user.remove_push_device(token)
    if any(e.permanent for e in errors):
        with suppress(IntegrityError):  # the user changed meanwhile: forget them next time
            identity.save(user)
    if len(errors) == len(devices):
        raise DeliveryError(errors[-1].reason, permanent=all(e.permanent for e in errors))
