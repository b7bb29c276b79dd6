"""The analytics projector's mapping from events to rows, without a store."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

from projections.analytics.projector import project, references
from schemas.events import PublishedEvent
from tests.published import whole_payload

AT = datetime(2025, 7, 29, 23, 30, tzinfo=UTC)
COURSE, LEARNER, PAYMENT, ENROLLMENT, COUPON = "course-1", "learner-1", "pay-1", "enr-1", "cpn-1"
positions = itertools.count(1)


def event(event_type: str, aggregate_id: str, version: int = 1, **payload: Any) -> PublishedEvent:
    return PublishedEvent(
        application=event_type.split(".")[0].lower(),
        position=next(positions),
        event_type=event_type,
        aggregate_id=aggregate_id,
        aggregate_version=version,
        timestamp=AT,
        payload=whole_payload(event_type, **payload),
    )


def initiated(code: str | None = "SAVE10") -> PublishedEvent:
    money = {"currency": "NGN", "amount": 450_000, "couponCode": code}
    return event("Payment.Initiated", PAYMENT, userId=LEARNER, courseId=COURSE, **money)


def succeeded() -> PublishedEvent:
    return event("Payment.Succeeded", PAYMENT, 2, amount=450_000, currency="NGN", paidAt="x")


def enrolled() -> PublishedEvent:
    return event("Enrollment.Enrolled", ENROLLMENT, userId=LEARNER, courseId=COURSE)


def course_created() -> PublishedEvent:
    details = {"title": "Python", "category": "Programming", "price": 500_000, "currency": "NGN"}
    return event("Course.Created", COURSE, instructorId="teacher-1", description="…", **details)


def only(rows: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(rows) == 1, rows
    return rows[0]


def test_a_payment_is_attributed_to_the_course_learner_and_coupon_of_its_checkout():
    rows = project([initiated(), succeeded()], {})
    fact = only(rows["analytics_facts"])
    assert (fact["fact"], fact["course_id"], fact["user_id"]) == ("payment", COURSE, LEARNER)
    assert (fact["amount"], fact["currency"], fact["code"]) == (450_000, "NGN", "SAVE10")
    assert only(rows["analytics_payments"]) == {
        "payment_id": PAYMENT,
        "course_id": COURSE,
        "user_id": LEARNER,
        "coupon_code": "SAVE10",
        "currency": "NGN",
    }


def test_a_later_batch_asks_for_the_checkout_and_is_attributed_by_it():
    checkout = only(project([initiated(code=None)], {})["analytics_payments"])
    later = [succeeded(), event("Payment.Refunded", PAYMENT, 3, amount=100, currency="NGN")]
    assert references(later) == {"payments": {PAYMENT}}
    facts = project(later, {"payments": {PAYMENT: checkout}})["analytics_facts"]
    assert [(f["fact"], f["course_id"], f["amount"], f["code"]) for f in facts] == [
        ("payment", COURSE, 450_000, ""),
        ("refund", COURSE, 100, ""),
    ]


def test_a_redemption_ahead_of_its_checkout_in_the_same_batch_is_still_attributed():
    redeemed = event("Coupon.Redeemed", COUPON, 3, paymentId=PAYMENT, userId=LEARNER)
    batch = [redeemed, initiated()]
    assert references(batch) == {}
    fact = only(project(batch, {})["analytics_facts"])
    assert (fact["fact"], fact["course_id"], fact["code"]) == (
        "coupon_redemption",
        COURSE,
        "SAVE10",
    )


def test_learning_facts_are_attributed_through_their_enrollment():
    progressed = event(
        "Enrollment.LessonProgressed", ENROLLMENT, 3, timeSpent=600, courseProgress=0.5
    )
    rated = event("Enrollment.Rated", ENROLLMENT, 4, courseId=COURSE, stars=4, previous=None)
    completed = event("Enrollment.Completed", ENROLLMENT, 5, completedAt="x")
    facts = project([enrolled(), progressed, rated, completed], {})["analytics_facts"]
    assert [(f["fact"], f["amount"], f["value"]) for f in facts] == [
        ("enrollment", 0, 0.0),
        ("progress", 600, 0.5),
        ("rating", 4, 4.0),
        ("completion", 0, 0.0),
    ]
    assert {(f["course_id"], f["user_id"]) for f in facts} == {(COURSE, LEARNER)}


def test_a_fact_is_dated_by_its_utc_day_and_keyed_by_its_log_position():
    issued = event("Certificate.Issued", "cert-1", userId=LEARNER, courseId=COURSE)
    fact = only(project([issued], {})["analytics_facts"])
    assert (fact["fact"], fact["at"], fact["day"]) == ("certificate", AT, date(2025, 7, 29))
    assert (fact["application"], fact["position"]) == ("certificate", issued.position)


def test_a_detail_change_writes_the_whole_course_again_at_its_version():
    update = event("Course.DetailsUpdated", COURSE, 2, changes={"title": "Python 2"})
    course = only(project([course_created(), update], {})["analytics_courses"])
    assert (course["title"], course["category"], course["version"]) == (
        "Python 2",
        "Programming",
        2,
    )
    assert course["instructor_id"] == "teacher-1"


def test_a_change_to_a_course_of_an_earlier_batch_builds_on_its_known_row():
    known = only(project([course_created()], {})["analytics_courses"])
    update = event("Course.DetailsUpdated", COURSE, 5, changes={"category": "Data", "level": 1})
    assert references([update]) == {"courses": {COURSE}}
    course = only(project([update], {"courses": {COURSE: known}})["analytics_courses"])
    assert course == known | {"category": "Data", "version": 5}


def test_user_changes_keep_the_latest_name_and_role():
    registered = event(
        "User.Registered", LEARNER, email="ada@example.com", name="Ada", role="student"
    )
    renamed = event("User.ProfileUpdated", LEARNER, 2, name="Ada L.", avatarUrl=None)
    promoted = event("User.RoleChanged", LEARNER, 3, role="instructor")
    user = only(project([registered, renamed, promoted], {})["analytics_users"])
    assert (user["name"], user["role"], user["version"]) == ("Ada L.", "instructor", 3)
    assert (user["email"], user["registered_at"]) == ("ada@example.com", AT)


def test_every_event_is_kept_with_the_course_and_user_it_is_about():
    welcome = event("Enrollment.WelcomeRequested", ENROLLMENT, 2, userId=LEARNER, courseId=COURSE)
    login = event("Session.Started", "session-1", userId=LEARNER)
    module = event("Course.ModuleAdded", COURSE, 2, moduleId="m1", title="Intro", status="draft")
    other = event("Media.Uploaded", "media-1")
    rows = project([enrolled(), welcome, login, module, other], {})["analytics_events"]
    assert [(r["event_type"], r["course_id"], r["user_id"]) for r in rows] == [
        ("Enrollment.Enrolled", COURSE, LEARNER),
        ("Enrollment.WelcomeRequested", COURSE, LEARNER),
        ("Session.Started", "", LEARNER),
        ("Course.ModuleAdded", COURSE, ""),
        ("Media.Uploaded", "", ""),
    ]
    assert rows[3]["event_data"] == (
        '{"moduleId":"m1","position":null,"status":"draft","title":"Intro"}'
    )


def test_a_change_to_an_unknown_user_writes_no_partial_row():
    promoted = event("User.RoleChanged", LEARNER, 3, role="instructor")
    rows = project([promoted], {})
    assert rows["analytics_users"] == [] and len(rows["analytics_events"]) == 1


def test_projecting_a_batch_again_gives_the_same_rows():
    batch = [course_created(), initiated(), succeeded(), enrolled()]
    assert project(batch, {}) == project(batch, {})


def test_a_quiz_attempt_is_a_fact_and_a_row_per_question_answered():
    attempted = event(
        "Enrollment.QuizAttempted",
        ENROLLMENT,
        3,
        moduleId="m1",
        lessonId="l1",
        attempt=1,
        score=50.0,
        passed=False,
        results=[{"questionId": "q1", "correct": True}, {"questionId": "q2", "correct": False}],
        attemptedAt=AT.isoformat(),
    )

    rows = project([enrolled(), attempted], {})

    fact = rows["analytics_facts"][-1]
    assert (fact["fact"], fact["amount"], fact["value"]) == ("quiz_attempt", 0, 50.0)
    assert [
        (a["question_id"], a["correct"], a["course_id"], a["lesson_id"], a["position"])
        for a in rows["analytics_quiz_answers"]
    ] == [
        ("q1", 1, COURSE, "l1", attempted.position),
        ("q2", 0, COURSE, "l1", attempted.position),
    ]
