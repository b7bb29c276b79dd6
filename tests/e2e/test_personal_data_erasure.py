"""Erasure by key (crypto-shredding) end to end, on both backends: a learner's personal data
becomes unreadable everywhere while the books keep their amounts and ids."""

from __future__ import annotations

from sqlalchemy import select

from projections.rebuild import rebuild
from projections.users import users
from tests.api import PASSWORD, admin_token, bearer, data, error, login, register, unique_email
from tests.conftest import Running
from tests.learning import graduate, learner, merged, published_course
from tests.pipeline import settled


def erase(running: Running, user_id: str, token: str) -> str:
    answer = running.client.delete(
        f"/api/admin/users/{user_id}/personal-data", headers=bearer(token)
    )
    assert answer.status_code == 200, answer.text
    return answer.headers["X-Consistency-Token"]


def user_row(running: Running, user_id: str) -> dict:
    settled(running.campus)
    with running.campus.read_engine.connect() as conn:
        return dict(conn.execute(select(users).where(users.c.id == user_id)).mappings().one())


def test_an_erased_learner_can_no_longer_sign_in(backend: Running):
    email = unique_email("erased")
    student = learner(backend.client, email=email)
    erase(backend, student.user_id, admin_token(backend))
    error(login(backend.client, email), 401)
    error(backend.client.get("/api/auth/user/profile", headers=bearer(student.token)), 401)


def test_an_erased_learners_email_may_register_again_as_a_new_account(backend: Running):
    email = unique_email("again")
    first = learner(backend.client, email=email)
    erase(backend, first.user_id, admin_token(backend))
    answer = register(backend.client, email=email)
    assert answer.status_code == 200, answer.text
    assert data(answer)["userId"] != first.user_id
    assert login(backend.client, email, PASSWORD).status_code == 200


def test_the_admin_sees_an_erased_user_with_no_personal_fields(backend: Running):
    student = learner(backend.client, name="Folake Adeyemi", phone="+2348031234567")
    admin = admin_token(backend)
    written = erase(backend, student.user_id, admin)
    listing = backend.client.get(
        "/api/admin/users", params={"search": "erased"}, headers=bearer(admin, written)
    )
    assert listing.status_code == 200, listing.text
    row = user_row(backend, student.user_id)
    assert row["status"] == "erased"
    assert (row["name"], row["phone"], row["avatar_url"]) == ("", None, None)
    assert row["email"] == f"erased-{student.user_id}@erased.invalid"


def test_a_learner_may_erase_their_own_personal_data(backend: Running):
    email = unique_email("self")
    student = learner(backend.client, email=email)
    answer = backend.client.delete("/api/auth/user/personal-data", headers=bearer(student.token))
    assert answer.status_code == 200, answer.text
    error(login(backend.client, email), 401)
    assert user_row(backend, student.user_id)["status"] == "erased"


def test_a_student_may_not_erase_another_learner(backend: Running):
    victim, other = learner(backend.client), learner(backend.client)
    answer = backend.client.delete(
        f"/api/admin/users/{victim.user_id}/personal-data", headers=bearer(other.token)
    )
    error(answer, 403)
    assert login(backend.client, user_row(backend, victim.user_id)["email"]).status_code == 200


def test_an_admin_may_not_erase_their_own_account_by_either_way(backend: Running):
    email = unique_email("admin")
    token = admin_token(backend, email)
    me = data(backend.client.get("/api/auth/user/profile", headers=bearer(token)))["userId"]
    for path in (f"/api/admin/users/{me}/personal-data", "/api/auth/user/personal-data"):
        error(backend.client.delete(path, headers=bearer(token)), 403)
    assert login(backend.client, email).status_code == 200


def test_erasing_an_unknown_user_is_a_404(backend: Running):
    answer = backend.client.delete(
        "/api/admin/users/00000000-0000-4000-8000-000000000000/personal-data",
        headers=bearer(admin_token(backend)),
    )
    error(answer, 404)


def test_an_erased_learners_certificate_verifies_as_issued_to_an_erased_learner(backend: Running):
    admin = admin_token(backend)
    course = published_course(backend.client, admin)
    student = graduate(backend.client, admin, course, name="Chidinma Okafor")
    generated = student.wrote(
        backend.client.post(
            "/api/certificates/generate", json={"courseId": course.id}, headers=student.headers()
        )
    )
    assert generated.status_code == 201, generated.text
    unique_id = data(generated)["uniqueId"]
    written = erase(backend, student.user_id, admin)
    verified = backend.client.get(
        f"/api/certificates/verify/{unique_id}",
        headers={"X-Consistency-Token": merged(student.written, written)},
    )
    answer = data(verified)
    assert answer["valid"] is True and answer["learnerErased"] is True
    assert answer["learnerName"] is None


def test_the_books_keep_an_erased_learners_payments_and_enrollments(backend: Running):
    admin = admin_token(backend)
    course = published_course(backend.client, admin)
    student = graduate(backend.client, admin, course)
    written = erase(backend, student.user_id, admin)
    payments = backend.client.get(
        "/api/payments", params={"userId": student.user_id}, headers=bearer(admin, written)
    )
    paid = [(p["discountedAmount"], p["status"]) for p in data(payments)["payments"]]
    assert paid == [(49.99, "success")]
    enrollments = backend.client.get(
        "/api/enrollments",
        params={"userId": student.user_id},
        headers=bearer(admin, merged(student.written, written)),
    )
    assert [e["courseId"] for e in data(enrollments)["enrollments"]] == [course.id]


def test_a_rebuild_after_erasure_keeps_the_learner_erased(backend: Running):
    student = learner(backend.client, name="Ngozi Eze")
    erase(backend, student.user_id, admin_token(backend))
    campus = backend.campus
    rebuild(campus.runner("users"), list(campus.apps.values()))
    row = user_row(backend, student.user_id)
    assert (row["name"], row["status"]) == ("", "erased")
