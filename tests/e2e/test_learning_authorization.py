"""Who may see and change a learner's things: the learner and admins; another learner finds
nothing there (404), or is refused (403) where they name someone else; nobody signed out gets in."""

from __future__ import annotations

import pytest

from tests.api import admin_token, bearer
from tests.learning import graduate, learner, published_course, published_lessons


@pytest.fixture
def scene(backend):
    """Ada completed a course and holds its certificate; Bob is another learner."""
    client = backend.client
    admin = admin_token(backend)
    course = published_course(client, admin)
    ada = graduate(client, admin, course)
    issued = ada.wrote(
        client.post(
            "/api/certificates/generate", json={"courseId": course.id}, headers=bearer(ada.token)
        )
    )
    assert issued.status_code == 201, issued.text
    bob = learner(client)
    bob.written = ada.written  # Bob reads after Ada's writes are projected
    module_id, lesson_id = published_lessons(client, admin, course)[0]
    return {
        "client": client,
        "admin": admin,
        "ada": ada,
        "bob": bob,
        "course": course,
        "certificate": issued.json()["data"]["certificateId"],
        "lesson": {"moduleId": module_id, "lessonId": lesson_id},
    }


def reads(scene) -> dict[str, str]:
    ada, certificate = scene["ada"], scene["certificate"]
    return {
        "enrollment": f"/api/enrollments/{ada.enrollment_id}",
        "progress": f"/api/progress/{ada.enrollment_id}",
        "certificate": f"/api/certificates/{certificate}/download",
    }


@pytest.mark.parametrize("what", ["enrollment", "progress", "certificate"])
def test_another_learner_finds_nothing(scene, what):
    answer = scene["client"].get(reads(scene)[what], headers=scene["bob"].headers())

    assert answer.status_code == 404, answer.text


@pytest.mark.parametrize("what", ["enrollment", "progress", "certificate"])
def test_the_learner_and_an_admin_see_it(scene, what):
    path, written = reads(scene)[what], scene["ada"].written

    assert scene["client"].get(path, headers=scene["ada"].headers()).status_code == 200
    assert scene["client"].get(path, headers=bearer(scene["admin"], written)).status_code == 200


@pytest.mark.parametrize("what", ["enrollment", "progress", "certificate"])
def test_nobody_signed_out_gets_in(scene, what):
    assert scene["client"].get(reads(scene)[what]).status_code == 401


@pytest.mark.parametrize("path", ["/api/enrollments?userId={ada}", "/api/payments?userId={ada}"])
def test_listing_another_learners_things_is_refused(scene, path):
    answer = scene["client"].get(
        path.format(ada=scene["ada"].user_id), headers=scene["bob"].headers()
    )

    assert answer.status_code == 403, answer.text


def test_another_learner_cannot_record_progress_in_it(scene):
    body = {"enrollmentId": scene["ada"].enrollment_id, "progress": 0.1} | scene["lesson"]

    answer = scene["client"].post(
        "/api/progress/update", json=body, headers=bearer(scene["bob"].token)
    )

    assert answer.status_code == 404, answer.text


def test_another_learner_cannot_generate_its_certificate(scene):
    body = {"courseId": scene["course"].id, "userId": scene["ada"].user_id}

    answer = scene["client"].post(
        "/api/certificates/generate", json=body, headers=bearer(scene["bob"].token)
    )

    assert answer.status_code == 403, answer.text


def test_only_admins_issue_and_revoke_certificates(scene):
    client, bob = scene["client"], bearer(scene["bob"].token)
    issue = {"courseId": scene["course"].id, "userId": scene["bob"].user_id}

    issued = client.post("/api/admin/certificates/issue", json=issue, headers=bob)
    revoked = client.post(
        f"/api/admin/certificates/{scene['certificate']}/revoke",
        json={"reason": "mine now"},
        headers=bob,
    )

    assert (issued.status_code, revoked.status_code) == (403, 403)
