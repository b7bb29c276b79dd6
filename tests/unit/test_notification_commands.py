"""Notifications through the bus: requested on the channels a user chose, worded in their
language, delivered to the embedded outboxes with retries and given up when they cannot be,
read in the inbox, and reminders to learners who left a course alone."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from commands.notifications.deliver_notification import DeliverNotification
from commands.notifications.read_notification import ReadNotification
from commands.notifications.remind_idle_learners import RemindIdleLearners
from commands.notifications.request_notice import RequestNotice
from commands.notifications.request_notification import (
    ChannelOffError,
    NoPushDeviceError,
    RequestNotification,
)
from commands.notifications.send_notification import SendNotification
from commands.users.administer_user import BlockUser
from commands.users.erase_personal_data import ErasePersonalData
from commands.users.manage_push_devices import RegisterPushDevice, RemovePushDevice
from commands.users.set_preferences import SetPreferences
from domain.actor import Actor
from domain.errors import ForbiddenError, InvalidInputError
from domain.notifications.channels import Channel, Status
from domain.notifications.notification import NotificationNotFoundError, NotInInboxError
from domain.users.user import UserBlockedError
from ops.bootstrap import Campus
from tests.unit.bus import admin, enrolled, instructor, person, published_course, study

TOKEN = "fcm-device-token-1"


def ask(campus: Campus, user: Actor, channel: Channel, cause: str = "welcome:1"):
    command = RequestNotification(user.user_id, channel, "welcome", "Hello", "Welcome!", cause)
    return campus.bus.handle(command)


def outbox(campus: Campus, channel: str) -> list[Path]:
    folder = campus.settings.data_dir / "outbox" / channel
    return sorted(folder.glob("*")) if folder.is_dir() else []


def requested(campus: Campus) -> int:
    """How many notifications were ever requested, as the event store has it."""
    log = campus.apps["notifications"].recorder.select_notifications(start=1, limit=1000)
    return sum(1 for item in log if item.topic.endswith("Notification.Requested"))


def test_an_in_app_notification_is_sent_by_being_requested(campus):
    notification = ask(campus, person(campus, "Ada"), Channel.IN_APP)
    assert notification.status is Status.SENT


def test_asking_again_for_the_same_fact_answers_the_same_notification(campus):
    ada = person(campus, "Ada")
    first = ask(campus, ada, Channel.EMAIL)
    again = ask(campus, ada, Channel.EMAIL)
    assert again.id == first.id and requested(campus) == 1


def test_a_channel_the_user_turned_off_gets_no_notification(campus):
    ada = person(campus, "Ada")
    campus.bus.handle(SetPreferences(ada.user_id, channels=("in_app",)))
    with pytest.raises(ChannelOffError):
        ask(campus, ada, Channel.EMAIL)


def test_preferences_left_out_keep_their_value(campus):
    ada = person(campus, "Ada")
    campus.bus.handle(SetPreferences(ada.user_id, channels=("in_app",)))
    preferences = campus.bus.handle(SetPreferences(ada.user_id, language="fr"))
    assert (preferences.channels, preferences.language) == (("in_app",), "fr")


def test_a_blocked_user_cannot_change_their_preferences(campus):
    ada = person(campus, "Ada")
    campus.bus.handle(BlockUser(admin(campus).user_id, ada.user_id, "abuse"))
    with pytest.raises(UserBlockedError):
        campus.bus.handle(SetPreferences(ada.user_id, language="fr"))


def test_a_push_needs_a_registered_device(campus):
    ada = person(campus, "Ada")
    campus.bus.handle(SetPreferences(ada.user_id, channels=("push",)))
    with pytest.raises(NoPushDeviceError):
        ask(campus, ada, Channel.PUSH)
    campus.bus.handle(RegisterPushDevice(ada.user_id, TOKEN))
    assert ask(campus, ada, Channel.PUSH).status is Status.PENDING


def test_a_removed_device_is_no_longer_pushed_to(campus):
    ada = person(campus, "Ada")
    campus.bus.handle(SetPreferences(ada.user_id, channels=("push",)))
    campus.bus.handle(RegisterPushDevice(ada.user_id, TOKEN))
    campus.bus.handle(RemovePushDevice(ada.user_id, TOKEN))
    with pytest.raises(NoPushDeviceError):
        ask(campus, ada, Channel.PUSH)


def test_a_device_token_reaches_only_the_last_user_who_registered_it(campus):
    ada, bob = person(campus, "Ada"), person(campus, "Bob")
    campus.bus.handle(RegisterPushDevice(ada.user_id, TOKEN))
    campus.bus.handle(RegisterPushDevice(bob.user_id, TOKEN))
    assert campus.identity.get_user(ada.user_id).push_devices == ()
    assert campus.identity.get_user(bob.user_id).push_devices == (TOKEN,)


def test_a_device_token_is_one_printable_word(campus):
    with pytest.raises(InvalidInputError):
        campus.bus.handle(RegisterPushDevice(person(campus, "Ada").user_id, "two words"))


def test_a_notice_goes_out_on_every_channel_that_reaches_the_user(campus):
    ada = person(campus, "Ada")
    campus.bus.handle(SetPreferences(ada.user_id, channels=("email", "in_app", "push")))
    notice = RequestNotice(ada.user_id, "course_reminder", {"course": "Python", "since": "x"}, "c1")
    channels = {n.channel for n in campus.bus.handle(notice)}
    assert channels == {Channel.EMAIL, Channel.IN_APP}  # no device: push cannot reach her


def test_a_notice_is_worded_in_the_readers_language(campus):
    ada, bob = person(campus, "Ada"), person(campus, "Bob")
    campus.bus.handle(SetPreferences(ada.user_id, channels=("in_app",), language="fr"))
    campus.bus.handle(SetPreferences(bob.user_id, channels=("in_app",)))
    values = {"course": "Python", "since": "x"}
    (french,) = campus.bus.handle(RequestNotice(ada.user_id, "course_reminder", values, "c1"))
    (english,) = campus.bus.handle(RequestNotice(bob.user_id, "course_reminder", values, "c2"))
    assert french.subject != english.subject and "Python" in french.message


def test_only_admins_send_notifications(campus):
    ada = person(campus, "Ada")
    with pytest.raises(ForbiddenError):
        campus.bus.handle(SendNotification(instructor(campus), ada.user_id, "in_app", "Hi"))


def test_every_send_is_its_own_notification_with_a_subject(campus):
    ada, root = person(campus, "Ada"), admin(campus)
    first = campus.bus.handle(SendNotification(root, ada.user_id, "in_app", "Maintenance"))
    second = campus.bus.handle(SendNotification(root, ada.user_id, "in_app", "Maintenance"))
    assert first.id != second.id and first.subject


def test_a_notification_is_sent_on_a_channel_campus_has(campus):
    with pytest.raises(InvalidInputError):
        campus.bus.handle(
            SendNotification(admin(campus), person(campus, "Ada").user_id, "sms", "Hi")
        )


def test_an_email_is_delivered_to_the_outbox_once(campus):
    notification = ask(campus, person(campus, "Ada"), Channel.EMAIL)
    delivered = campus.bus.handle(DeliverNotification(notification.id))
    assert (delivered.status, delivered.attempts) == (Status.SENT, 1)
    again = campus.bus.handle(DeliverNotification(notification.id))
    assert again.attempts == 1 and len(outbox(campus, "email")) == 1


def test_a_push_is_delivered_to_the_users_device(campus):
    ada = person(campus, "Ada")
    campus.bus.handle(SetPreferences(ada.user_id, channels=("push",)))
    campus.bus.handle(RegisterPushDevice(ada.user_id, TOKEN))
    notification = ask(campus, ada, Channel.PUSH)
    assert campus.bus.handle(DeliverNotification(notification.id)).status is Status.SENT
    assert len(outbox(campus, "push")) == 1


def test_a_notification_to_an_erased_learner_is_given_up(campus):
    ada = person(campus, "Ada")
    notification = ask(campus, ada, Channel.EMAIL)
    campus.bus.handle(ErasePersonalData(ada.user_id, requested_by=ada.user_id))
    given_up = campus.bus.handle(DeliverNotification(notification.id))
    assert (given_up.status, given_up.attempts) == (Status.FAILED, 0)
    assert outbox(campus, "email") == []


def test_a_delivery_that_keeps_failing_is_given_up_after_the_attempts_allowed(campus_with):
    campus = campus_with(notification_attempts=3, notification_backoff_seconds=0)
    notification = ask(campus, person(campus, "Ada"), Channel.EMAIL)
    (campus.settings.data_dir / "outbox").write_text("not a folder")  # the outbox is unwritable
    failed = campus.bus.handle(DeliverNotification(notification.id))
    assert (failed.status, failed.attempts) == (Status.FAILED, 3)


def test_only_the_recipient_reads_a_notification(campus):
    ada = person(campus, "Ada")
    notification = ask(campus, ada, Channel.IN_APP)
    with pytest.raises(NotificationNotFoundError):
        campus.bus.handle(ReadNotification(person(campus, "Bob"), notification.id))
    read = campus.bus.handle(ReadNotification(ada, notification.id))
    assert read.read_at is not None


def test_reading_a_notification_again_keeps_when_it_was_first_read(campus):
    ada = person(campus, "Ada")
    notification = ask(campus, ada, Channel.IN_APP)
    first = campus.bus.handle(ReadNotification(ada, notification.id)).read_at
    assert campus.bus.handle(ReadNotification(ada, notification.id)).read_at == first


def test_only_in_app_notifications_are_read_in_the_inbox(campus):
    ada = person(campus, "Ada")
    notification = ask(campus, ada, Channel.EMAIL)
    with pytest.raises(NotInInboxError):
        campus.bus.handle(ReadNotification(ada, notification.id))


def idle_learners(campus_with, *names: str) -> tuple[Campus, list[Actor]]:
    """Learners who studied part of a course, then left it alone past the reminder delay."""
    campus = campus_with(reminder_inactive_days=0.05 / 86400)  # 50 ms
    course = published_course(campus, instructor(campus), lessons=2)
    learners = [person(campus, name) for name in names]
    for learner in learners:
        campus.bus.handle(SetPreferences(learner.user_id, channels=("in_app",)))
        enrolled(campus, learner, course)
        study(campus, learner, course, progress=0.5)
    time.sleep(0.1)
    return campus, learners


def test_a_learner_idle_in_a_course_is_reminded_once_per_stretch_of_idleness(campus_with):
    campus, _ = idle_learners(campus_with, "Ada")
    campus.follower().catch_up()  # idle enrollments are found in the read models
    assert campus.bus.handle(RemindIdleLearners()) == 1
    assert campus.bus.handle(RemindIdleLearners()) == 1
    assert requested(campus) == 1


def test_a_blocked_learner_is_not_reminded(campus_with):
    campus, (ada,) = idle_learners(campus_with, "Ada")
    campus.bus.handle(BlockUser(admin(campus).user_id, ada.user_id, "abuse"))
    campus.follower().catch_up()
    campus.bus.handle(RemindIdleLearners())
    assert requested(campus) == 0
