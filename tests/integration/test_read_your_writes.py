"""A plain REST client reads its own writes: no header, no knowledge of the event pipeline.

The pipeline is slowed here (the embedded follower is not woken by saves and polls four times
a second; on the services backend Kafka sits between every write and its read model), so a read
that did not wait for the caller's write would miss it almost every time.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api import PASSWORD, admin_token, bearer, data, error, register, unique_email
from tests.commerce import pay
from tests.conftest import Running, embedded_campus, services_campus
from tests.courses import course_body
from tests.learning import published_course

TRIES = 5


@pytest.fixture(params=["embedded", "services"])
def slow_pipeline(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Running]:
    factory = embedded_campus if request.param == "embedded" else services_campus
    with factory(tmp_path, follower_poll_interval_seconds=0.25) as running:
        for app in running.campus.apps.values():
            app.on_saved = None
        yield running


@pytest.fixture
def admin(slow_pipeline: Running) -> str:
    return admin_token(slow_pipeline)


def plain(token: str) -> dict[str, str]:
    return bearer(token)  # an Authorization header and nothing else


def signed_up(client: TestClient, name: str = "Ada Lovelace") -> dict[str, str]:
    email = unique_email()
    answer = register(client, email=email, name=name)
    assert answer.status_code == 200, answer.text
    return data(answer) | {"email": email}


def test_a_new_user_reads_their_profile_at_once(slow_pipeline: Running):
    client = slow_pipeline.client
    for i in range(TRIES):
        user = signed_up(client, name=f"Learner {i}")
        answer = client.get("/api/auth/user/profile", headers=plain(user["token"]))
        assert answer.status_code == 200, answer.text
        assert data(answer)["name"] == f"Learner {i}"
        assert "X-Consistency" not in answer.headers


def test_a_profile_change_is_in_the_next_read(slow_pipeline: Running):
    client = slow_pipeline.client
    token = signed_up(client)["token"]
    for i in range(TRIES):
        changed = client.put(
            "/api/auth/user/profile", json={"name": f"Name {i}"}, headers=plain(token)
        )
        assert changed.status_code == 200, changed.text
        answer = client.get("/api/auth/user/profile", headers=plain(token))
        assert data(answer)["name"] == f"Name {i}"


def test_a_created_course_has_its_structure_at_once(slow_pipeline: Running, admin: str):
    client = slow_pipeline.client
    for i in range(TRIES):
        created = client.post(
            "/api/admin/courses", json=course_body(title=f"Course {i}"), headers=plain(admin)
        )
        assert created.status_code == 201, created.text
        course_id = data(created)["courseId"]
        answer = client.get(f"/api/courses/{course_id}/structure", headers=plain(admin))
        assert answer.status_code == 200, answer.text


def test_an_enrollment_and_its_progress_read_back_at_once(slow_pipeline: Running, admin: str):
    client = slow_pipeline.client
    course = published_course(client, admin)
    lessons = data(client.get(f"/api/courses/{course.id}/structure", headers=plain(admin)))
    module = lessons["modules"][0]
    module_id, lesson_id = module["id"], module["lessons"][0]["id"]
    token = signed_up(client)["token"]
    assert pay(client, token, course.id).status_code == 201
    enrolled = client.post(
        "/api/enrollments/enroll", json={"courseId": course.id}, headers=plain(token)
    )
    enrollment_id = data(enrolled)["enrollmentId"]
    assert client.get(f"/api/enrollments/{enrollment_id}", headers=plain(token)).status_code == 200
    for share in (0.1, 0.4, 0.7):
        update = {
            "enrollmentId": enrollment_id,
            "moduleId": module_id,
            "lessonId": lesson_id,
            "progress": share,
        }
        assert (
            client.post("/api/progress/update", json=update, headers=plain(token)).status_code
            == 200
        )
        progress = data(client.get(f"/api/progress/{enrollment_id}", headers=plain(token)))
        assert progress["lessonId"] == lesson_id, progress
        assert progress["progress"] == share, progress


def test_a_second_device_of_the_same_user_reads_the_first_ones_write(slow_pipeline: Running):
    client = slow_pipeline.client
    phone = signed_up(client)
    laptop = data(
        client.post(
            "/api/auth/user/login",
            json={"email": phone["email"], "password": PASSWORD},
        )
    )
    client.put(
        "/api/auth/user/profile", json={"name": "From the phone"}, headers=plain(phone["token"])
    )
    answer = client.get("/api/auth/user/profile", headers=plain(laptop["token"]))
    assert data(answer)["name"] == "From the phone"


def test_an_anonymous_reader_waits_for_a_token_it_is_given(slow_pipeline: Running, admin: str):
    client = slow_pipeline.client
    created = client.post(
        "/api/admin/courses", json=course_body(status="published"), headers=plain(admin)
    )
    written = created.headers["X-Consistency-Token"]
    listed = data(client.get("/api/courses/catalog/list", headers={"X-Consistency-Token": written}))
    assert data(created)["courseId"] in {c["courseId"] for c in listed["courses"]}


def test_a_malformed_token_is_a_clear_400(slow_pipeline: Running):
    answer = slow_pipeline.client.get(
        "/api/courses/catalog/list", headers={"X-Consistency-Token": "catalog:many"}
    )
    error(answer, 400)


def test_a_not_found_after_a_wait_that_ran_out_says_it_may_be_stale(tmp_path: Path):
    with embedded_campus(tmp_path, consistency_wait_seconds=0.2) as embedded:
        ahead = bearer(admin_token(embedded)) | {"X-Consistency-Token": "catalog:999999"}
        answer = embedded.client.get(f"/api/courses/{uuid.uuid4()}/structure", headers=ahead)
    error(answer, 404)
    assert answer.headers["X-Consistency"] == "stale"
