"""Enrolling (spec §8) and recording progress (§7) on the write side, on both backends: who may
enroll, with which payment, exactly once; progress that the course does not contain is refused."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from uuid import UUID

from commands.learning.enroll import EnrollInCourse
from domain.actor import Actor
from domain.errors import ConflictError
from domain.learning.enrollment import Enrollment
from tests.api import admin_token, bearer, data, error, signed_up
from tests.commerce import DECLINED, card, course_for_sale, pay
from tests.courses import create_course
from tests.learning import Course, published_lessons


def enroll(client, token: str, course_id: str, **fields: object):
    body = {"courseId": course_id} | fields
    return client.post("/api/enrollments/enroll", json=body, headers=bearer(token))


def learner(client) -> tuple[str, str]:
    answer = signed_up(client)[0]
    return answer["token"], answer["userId"]


def progress(client, token: str, enrollment_id: str, module_id: str, lesson_id: str, **fields):
    body = {"enrollmentId": enrollment_id, "moduleId": module_id, "lessonId": lesson_id}
    body |= {"progress": 1} | fields
    return client.post("/api/progress/update", json=body, headers=bearer(token))


def test_a_paid_course_needs_a_successful_payment_first(backend):
    admin = admin_token(backend)
    course_id = course_for_sale(backend.client, admin)
    token, _ = learner(backend.client)

    refused = enroll(backend.client, token, course_id)
    data(pay(backend.client, token, course_id))
    enrolled = enroll(backend.client, token, course_id)

    assert error(refused, 402)["message"] == "A successful payment for this course is required"
    assert enrolled.status_code == 201 and data(enrolled)["message"] == "Enrollment successful"


def test_someone_elses_or_a_failed_payment_is_a_400(backend):
    admin = admin_token(backend)
    course_id = course_for_sale(backend.client, admin)
    payer, _ = learner(backend.client)
    paid = data(pay(backend.client, payer, course_id))
    token, _ = learner(backend.client)
    declined = pay(backend.client, token, course_id, cardDetails=card(DECLINED))
    listed = backend.client.get(
        "/api/payments?status=failed",
        headers=bearer(token, declined.headers["X-Consistency-Token"]),
    )
    (failed,) = data(listed)["payments"]

    with_theirs = enroll(backend.client, token, course_id, paymentId=paid["paymentId"])
    with_failed = enroll(backend.client, token, course_id, paymentId=failed["paymentId"])
    with_unknown = enroll(backend.client, token, course_id, paymentId=str(uuid.uuid4()))

    for refused in (with_theirs, with_failed, with_unknown):
        assert error(refused, 400)["message"].startswith("paymentId is not a successful payment")


def test_a_free_course_needs_no_payment(backend):
    admin = admin_token(backend)
    course_id = course_for_sale(backend.client, admin, price="0")
    token, _ = learner(backend.client)

    assert enroll(backend.client, token, course_id).status_code == 201


def test_an_admin_grants_an_enrollment_without_payment(backend):
    admin = admin_token(backend)
    course_id = course_for_sale(backend.client, admin)
    _, user_id = learner(backend.client)

    granted = enroll(backend.client, admin, course_id, userId=user_id)

    assert granted.status_code == 201
    enrollment = backend.campus.apps["learning"].get_enrollment(UUID(data(granted)["enrollmentId"]))
    assert enrollment.source.value == "grant"


def test_a_learner_cannot_enroll_someone_else(backend):
    admin = admin_token(backend)
    course_id = course_for_sale(backend.client, admin, price="0")
    token, _ = learner(backend.client)
    _, other = learner(backend.client)

    assert error(enroll(backend.client, token, course_id, userId=other), 403)


def test_a_draft_course_cannot_be_enrolled_in(backend):
    admin = admin_token(backend)
    course_id, _ = create_course(backend.client, admin, price="0")
    token, _ = learner(backend.client)

    assert error(enroll(backend.client, token, course_id), 404)


def test_a_hundred_racing_enrollments_enroll_once(backend):
    admin = admin_token(backend)
    course_id = UUID(course_for_sale(backend.client, admin, price="0"))
    _, user = learner(backend.client)
    user_id = UUID(user)
    contenders, start = 100, Barrier(20)

    def contend(n: int) -> str:
        if n < 20:
            start.wait()
        command = EnrollInCourse(Actor(user_id, "student"), user_id, course_id)
        try:
            return str(backend.campus.bus.handle(command).id)
        except ConflictError as lost:
            return str(lost)

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(contend, range(contenders)))

    assert outcomes.count("User already enrolled") == contenders - 1
    assert str(Enrollment.create_id(user_id, course_id)) in outcomes


def test_progress_on_a_lesson_the_course_does_not_publish_is_a_400(backend):
    admin = admin_token(backend)
    course_id, written = create_course(backend.client, admin, price="0", status="published")
    token, _ = learner(backend.client)
    enrollment_id = data(enroll(backend.client, token, course_id))["enrollmentId"]
    (module_id, lesson_id), *_ = published_lessons(
        backend.client, admin, Course(course_id, written)
    )

    unknown = progress(backend.client, token, enrollment_id, module_id, "no-such-lesson")
    wrong_module = progress(backend.client, token, enrollment_id, "no-such-module", lesson_id)
    too_far = progress(backend.client, token, enrollment_id, module_id, lesson_id, progress=1.5)
    negative = progress(backend.client, token, enrollment_id, module_id, lesson_id, timeSpent=-1)

    for refused in (unknown, wrong_module, too_far, negative):
        assert error(refused, 400)


def test_another_learners_enrollment_takes_no_progress(backend):
    admin = admin_token(backend)
    course_id, written = create_course(backend.client, admin, price="0", status="published")
    token, _ = learner(backend.client)
    enrollment_id = data(enroll(backend.client, token, course_id))["enrollmentId"]
    intruder, _ = learner(backend.client)
    (module_id, lesson_id), *_ = published_lessons(
        backend.client, admin, Course(course_id, written)
    )

    refused = progress(backend.client, intruder, enrollment_id, module_id, lesson_id)

    assert error(refused, 404)["message"] == "Enrollment not found"


def test_completing_every_published_lesson_completes_the_enrollment(backend):
    admin = admin_token(backend)
    course_id, written = create_course(backend.client, admin, price="0", status="published")
    token, _ = learner(backend.client)
    enrollment_id = data(enroll(backend.client, token, course_id))["enrollmentId"]
    lessons = published_lessons(backend.client, admin, Course(course_id, written))

    answers = [data(progress(backend.client, token, enrollment_id, *lesson)) for lesson in lessons]

    assert [a["status"] for a in answers] == ["in_progress"] * (len(lessons) - 1) + ["completed"]
    assert answers[-1]["courseProgress"] == 1.0


def test_a_long_progress_history_loads_from_a_snapshot(backend):
    admin = admin_token(backend)
    course_id, written = create_course(backend.client, admin, price="0", status="published")
    token, _ = learner(backend.client)
    enrollment_id = data(enroll(backend.client, token, course_id))["enrollmentId"]
    (module_id, lesson_id), *_ = published_lessons(
        backend.client, admin, Course(course_id, written)
    )
    for second in range(60):
        update = progress(
            backend.client,
            token,
            enrollment_id,
            module_id,
            lesson_id,
            progress=0.5,
            timeSpent=10,
            positionSeconds=second,
        )
        assert update.status_code == 200, update.text

    learning = backend.campus.apps["learning"]
    snapshots = list(learning.snapshots.get(UUID(enrollment_id)))
    enrollment = learning.repository.get(UUID(enrollment_id))

    assert snapshots and snapshots[-1].originator_version >= 50
    assert (enrollment.time_spent, enrollment.position_seconds) == (600, 59)


def test_a_full_refund_drops_the_enrollment_and_a_partial_one_keeps_it(backend):
    admin = admin_token(backend)
    course_id = course_for_sale(backend.client, admin)
    token, _ = learner(backend.client)
    paid = data(pay(backend.client, token, course_id))
    enrollment_id = UUID(data(enroll(backend.client, token, course_id))["enrollmentId"])
    refund = f"/api/admin/payments/{paid['paymentId']}/refund"
    learning = backend.campus.apps["learning"]

    backend.client.post(refund, json={"amount": "1000"}, headers=bearer(admin))
    after_part = learning.get_enrollment(enrollment_id).status.value
    backend.client.post(refund, json={}, headers=bearer(admin))
    after_all = learning.get_enrollment(enrollment_id).status.value

    assert (after_part, after_all) == ("in_progress", "dropped")


def test_a_course_refunded_in_full_can_be_bought_and_followed_again(backend):
    admin = admin_token(backend)
    course_id = course_for_sale(backend.client, admin)
    token, _ = learner(backend.client)
    first = data(pay(backend.client, token, course_id))
    enrolled = data(enroll(backend.client, token, course_id))
    refunded = backend.client.post(
        f"/api/admin/payments/{first['paymentId']}/refund", json={}, headers=bearer(admin)
    )
    assert refunded.status_code == 200, refunded.text

    again = pay(backend.client, token, course_id, key="second-purchase")
    assert again.status_code == 201, again.text
    back = enroll(backend.client, token, course_id)
    assert back.status_code == 201, back.text
    view = backend.client.get(f"/api/enrollments/{enrolled['enrollmentId']}", headers=bearer(token))

    assert data(back)["enrollmentId"] == enrolled["enrollmentId"]
    assert (data(view)["status"], data(view)["paymentId"]) == (
        "in_progress",
        data(again)["paymentId"],
    )
