"""Who may send, read and mark notifications, and what bad requests get (spec §4)."""

from __future__ import annotations

import uuid

from tests.api import admin_token, bearer, data, error
from tests.conftest import Running
from tests.learning import learner
from tests.notifications import choose_channels, inbox, log_of, send, settled, wait_for_log


def test_an_admin_sends_a_notification_and_gets_its_id(embedded: Running):
    client, admin = embedded.client, admin_token(embedded)
    student = learner(client)

    sent = send(client, admin, student.user_id, "in_app", "Welcome to the spring cohort")

    assert sent.status_code == 201, sent.text
    assert data(sent)["message"] == "Notification sent successfully"
    [notice] = inbox(client, student.token, after=sent)["notifications"]
    assert notice["notificationId"] == data(sent)["notificationId"]
    assert notice["message"] == "Welcome to the spring cohort"


def test_a_student_may_not_send_notifications(embedded: Running):
    client = embedded.client
    student, other = learner(client), learner(client)

    refused = send(client, student.token, other.user_id, "email", "Hi")

    assert error(refused, 403)["message"] == "Only admins may send notifications"


def test_sending_needs_a_known_type_and_a_message(embedded: Running):
    client, admin = embedded.client, admin_token(embedded)
    student = learner(client)

    error(send(client, admin, student.user_id, "sms", "Hello"), 400)
    error(send(client, admin, student.user_id, "email", "   "), 400)
    error(send(client, admin, student.user_id, "email", "x" * 5001), 400)


def test_sending_to_an_unknown_user_is_a_404(embedded: Running):
    client, admin = embedded.client, admin_token(embedded)

    error(send(client, admin, str(uuid.uuid4()), "email", "Hello"), 404)


def test_a_channel_the_user_turned_off_is_refused(embedded: Running):
    client, admin = embedded.client, admin_token(embedded)
    student = learner(client)
    choose_channels(client, student.token, "in_app")

    refused = send(client, admin, student.user_id, "email", "Hello")

    assert error(refused, 409)["message"] == "The user has turned email notifications off"


def test_push_without_a_registered_device_is_refused(embedded: Running):
    client, admin = embedded.client, admin_token(embedded)
    student = learner(client)
    choose_channels(client, student.token, "push")

    error(send(client, admin, student.user_id, "push", "Hello"), 409)


def test_a_student_reads_only_their_own_log(embedded: Running):
    client, admin = embedded.client, admin_token(embedded)
    student, other = learner(client), learner(client)
    send(client, admin, other.user_id, "in_app", "For the other learner")

    error(
        client.get(f"/api/notifications/log?userId={other.user_id}", headers=bearer(student.token)),
        403,
    )
    wait_for_log(client, other.token, settled(kinds=1, channels=("in_app",)))
    assert {entry["userId"] for entry in log_of(client, other.token)} == {other.user_id}


def test_an_admin_reads_anyones_log(embedded: Running):
    client, admin = embedded.client, admin_token(embedded)
    student = learner(client)
    send(client, admin, student.user_id, "in_app", "Hello")

    logs = wait_for_log(
        client, admin, settled(kinds=1, channels=("in_app",)), userId=student.user_id
    )

    assert {entry["userId"] for entry in logs} == {student.user_id}


def test_an_empty_log_is_a_404_as_the_spec_says(embedded: Running):
    client = embedded.client
    student = learner(client)

    answer = client.get("/api/notifications/log", headers=bearer(student.token))

    assert error(answer, 404)["message"] == "No logs found"


def test_reading_a_notice_marks_it_read_and_lowers_the_unread_count(embedded: Running):
    client, admin = embedded.client, admin_token(embedded)
    student = learner(client)
    first = data(send(client, admin, student.user_id, "in_app", "One"))["notificationId"]
    second = send(client, admin, student.user_id, "in_app", "Two")
    assert inbox(client, student.token, after=second)["unread"] == 2

    marked = client.post(f"/api/notifications/{first}/read", headers=bearer(student.token))

    assert marked.status_code == 200, marked.text
    unread = inbox(client, student.token, after=marked, unread="true")
    assert unread["unread"] == 1
    assert [n["message"] for n in unread["notifications"]] == ["Two"]


def test_nobody_marks_another_users_notice_read(embedded: Running):
    client, admin = embedded.client, admin_token(embedded)
    student, other = learner(client), learner(client)
    notice = data(send(client, admin, other.user_id, "in_app", "Private"))["notificationId"]

    refused = client.post(f"/api/notifications/{notice}/read", headers=bearer(student.token))

    error(refused, 404)


def test_only_in_app_notices_are_marked_read(embedded: Running):
    client, admin = embedded.client, admin_token(embedded)
    student = learner(client)
    email = data(send(client, admin, student.user_id, "email", "By mail"))["notificationId"]

    refused = client.post(f"/api/notifications/{email}/read", headers=bearer(student.token))

    error(refused, 400)


def test_a_device_token_must_look_like_one(embedded: Running):
    client = embedded.client
    student = learner(client)

    for token in ("", "two words", "x" * 5000):
        refused = client.post(
            "/api/notifications/devices", json={"token": token}, headers=bearer(student.token)
        )
        error(refused, 400)
