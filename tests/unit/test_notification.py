"""The Notification aggregate's rules, in memory: requesting, delivery attempts, the final
outcome and reading it in the inbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInputError
from domain.notifications.channels import Channel, Status
from domain.notifications.notification import (
    Notification,
    NotificationNotFoundError,
    NotInInboxError,
)

AT = datetime(2025, 7, 29, 12, 30, tzinfo=UTC)
ADA, BOLA = uuid.uuid4(), uuid.uuid4()


def requested(channel: Channel = Channel.EMAIL, cause: str = "cause-1") -> Notification:
    return Notification.request(ADA, channel, "welcome", "Welcome", "Hello Ada", cause, AT)


def event_names(notification: Notification) -> list[str]:
    return [type(e).__name__ for e in notification.collect_events()]


def test_a_notification_is_pending_until_delivered():
    notification = requested()

    assert notification.status is Status.PENDING and notification.attempts == 0


def test_the_same_cause_and_channel_name_the_same_notification():
    assert requested().id == requested().id
    assert requested(Channel.EMAIL).id != requested(Channel.IN_APP).id
    assert requested(cause="cause-1").id != requested(cause="cause-2").id


@pytest.mark.parametrize("message", ["", "   ", "x" * 5001])
def test_a_notification_needs_a_message_of_sensible_length(message: str):
    with pytest.raises(InvalidInputError):
        Notification.request(ADA, Channel.EMAIL, "welcome", "Subject", message, "c", AT)


def test_failed_attempts_are_counted_and_the_last_one_fails_it():
    notification = requested()

    notification.attempt_failed("SMTP 451", AT, final=False)
    notification.attempt_failed("SMTP 451", AT, final=True)

    assert notification.status is Status.FAILED and notification.attempts == 2
    assert event_names(notification) == ["Requested", "AttemptFailed", "AttemptFailed", "Failed"]


def test_a_sent_notification_counts_the_attempt_that_got_through():
    notification = requested()
    notification.attempt_failed("connection refused", AT, final=False)

    notification.mark_sent(AT)

    assert notification.status is Status.SENT and notification.attempts == 2


def test_a_settled_notification_records_nothing_more():
    notification = requested()
    notification.mark_sent(AT)
    notification.collect_events()

    notification.mark_sent(AT)
    notification.attempt_failed("late", AT, final=True)

    assert notification.collect_events() == [] and notification.status is Status.SENT


def test_the_recipient_reads_an_in_app_notification_once():
    notification = requested(Channel.IN_APP)
    notification.collect_events()

    notification.mark_read(ADA, AT)
    notification.mark_read(ADA, AT)

    assert notification.read_at == AT and event_names(notification) == ["Read"]


def test_someone_elses_notification_does_not_exist_for_them():
    with pytest.raises(NotificationNotFoundError):
        requested(Channel.IN_APP).mark_read(BOLA, AT)


def test_only_in_app_notifications_are_read_in_the_inbox():
    with pytest.raises(NotInInboxError):
        requested(Channel.EMAIL).mark_read(ADA, AT)


def test_giving_up_fails_a_pending_notification_without_an_attempt():
    notification = requested()

    notification.give_up("no delivery attempts left", AT)

    assert notification.status is Status.FAILED and notification.attempts == 0
