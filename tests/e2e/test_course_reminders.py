"""Course reminders: a learner who leaves an in-progress course alone for the configured days
is reminded once per idle stretch; finished courses are not nagged about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commands.bus import inject
from commands.notifications.remind_idle_learners import RemindIdleLearners, remind_idle_learners
from infra.notifications.gettext_wording import GettextWording
from projections.queries.idle_enrollments import IdleEnrollmentsQuery
from tests.api import admin_token, bearer, data
from tests.conftest import Running
from tests.learning import (
    Learner,
    enrolled,
    graduate,
    published_course,
    published_lessons,
    read,
    study,
)

IDLE_DAYS = 7


def remind_at(running: Running, moment: datetime) -> int:
    """Look for idle learners as if the clock showed ``moment``."""
    campus = running.campus
    deps = {
        "idle_enrollments": IdleEnrollmentsQuery(campus.read_engine),
        "notifications": campus.apps["notifications"],
        "identity": campus.identity,
        "wording": GettextWording(),
        "clock": lambda: moment,
        "reminder_after": timedelta(days=IDLE_DAYS),
    }
    return inject(remind_idle_learners, deps)(RemindIdleLearners())


def reminders(running: Running, student: Learner) -> list[dict]:
    """The learner's reminders, once every notification recorded so far is projected."""
    recorded = running.campus.apps["notifications"].recorder.max_notification_id() or 0
    headers = bearer(student.token, f"notifications:{recorded}")
    answer = running.client.get("/api/notifications?pageSize=100", headers=headers)
    return [n for n in data(answer)["notifications"] if n["kind"] == "course_reminder"]


def projected(running: Running, *students: Learner) -> None:
    """Wait until each learner's writes reached the read models the check reads."""
    for student in students:
        assert read(running.client, student, "/api/enrollments").status_code == 200


def test_an_idle_learner_is_reminded_of_the_course(embedded: Running):
    course = published_course(embedded.client, admin_token(embedded), title="Sourdough Basics")
    student = enrolled(embedded.client, course.id)
    projected(embedded, student)

    remind_at(embedded, datetime.now(UTC) + timedelta(days=IDLE_DAYS + 1))

    [reminder] = reminders(embedded, student)
    assert reminder["subject"] == "Pick up Sourdough Basics where you left off"
    assert reminder["data"]["enrollmentId"] == student.enrollment_id


def test_a_learner_active_within_the_days_is_not_reminded(embedded: Running):
    course = published_course(embedded.client, admin_token(embedded))
    student = enrolled(embedded.client, course.id)
    projected(embedded, student)

    remind_at(embedded, datetime.now(UTC) + timedelta(days=IDLE_DAYS - 1))

    assert reminders(embedded, student) == []


def test_checking_again_before_the_learner_returns_reminds_nobody_twice(embedded: Running):
    course = published_course(embedded.client, admin_token(embedded))
    student = enrolled(embedded.client, course.id)
    projected(embedded, student)
    later = datetime.now(UTC) + timedelta(days=IDLE_DAYS + 1)

    remind_at(embedded, later)
    remind_at(embedded, later + timedelta(days=3))

    assert len(reminders(embedded, student)) == 1


def test_a_learner_who_came_back_and_went_idle_again_is_reminded_again(embedded: Running):
    admin = admin_token(embedded)
    course = published_course(embedded.client, admin)
    student = enrolled(embedded.client, course.id)
    projected(embedded, student)
    remind_at(embedded, datetime.now(UTC) + timedelta(days=IDLE_DAYS + 1))

    study(embedded.client, student, published_lessons(embedded.client, admin, course)[0], 0.5)
    projected(embedded, student)
    remind_at(embedded, datetime.now(UTC) + timedelta(days=IDLE_DAYS + 1))

    assert len(reminders(embedded, student)) == 2


def test_a_completed_course_earns_no_reminder(embedded: Running):
    admin = admin_token(embedded)
    course = published_course(embedded.client, admin)
    student = graduate(embedded.client, admin, course)
    projected(embedded, student)

    remind_at(embedded, datetime.now(UTC) + timedelta(days=IDLE_DAYS + 1))

    assert reminders(embedded, student) == []
