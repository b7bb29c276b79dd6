"""Helpers for learning tests: a learner who paid for a course, enrolled, and completed it.

A learner carries the consistency token of everything they wrote (``written``), merged across
applications, so a read made with it sees all of their writes on either backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from tests.api import bearer, data, signed_up
from tests.commerce import pay
from tests.courses import create_course, structure


def merged(*tokens: str | None) -> str:
    """One consistency token covering all of ``tokens`` (the highest position per application)."""
    latest: dict[str, int] = {}
    for token in tokens:
        for part in filter(None, (token or "").split(",")):
            app, position = part.split(":")
            latest[app] = max(int(position), latest.get(app, 0))
    return ",".join(f"{app}:{position}" for app, position in sorted(latest.items()))


@dataclass
class Course:
    id: str
    written: str  # the creation's consistency token


@dataclass
class Learner:
    token: str
    user_id: str
    written: str = ""
    enrollment_id: str | None = None

    def wrote(self, response: Response) -> Response:
        self.written = merged(self.written, response.headers.get("X-Consistency-Token"))
        return response

    def headers(self) -> dict[str, str]:
        return bearer(self.token, self.written)


def published_course(client: TestClient, admin: str, **fields: Any) -> Course:
    """A published course for sale (see tests.courses for its modules and lessons)."""
    return Course(*create_course(client, admin, status="published", **fields))


def learner(client: TestClient, **fields: Any) -> Learner:
    """A newly registered student."""
    pair, written = signed_up(client, **fields)
    return Learner(pair["token"], pair["userId"], written)


def enroll(client: TestClient, student: Learner, course_id: str) -> str:
    """Pay for the course by card, then enroll; answer the enrollment id."""
    paid = student.wrote(pay(client, student.token, course_id))
    assert paid.status_code == 201, paid.text
    answer = student.wrote(
        client.post(
            "/api/enrollments/enroll", json={"courseId": course_id}, headers=bearer(student.token)
        )
    )
    assert answer.status_code == 201, answer.text
    student.enrollment_id = data(answer)["enrollmentId"]
    return student.enrollment_id


def enrolled(client: TestClient, course_id: str, **fields: Any) -> Learner:
    """A new learner who paid for the course and enrolled in it."""
    student = learner(client, **fields)
    enroll(client, student, course_id)
    return student


def published_lessons(client: TestClient, admin: str, course: Course) -> list[tuple[str, str]]:
    """(module id, lesson id) of every lesson that counts towards completion."""
    modules = data(structure(client, admin, course.id, course.written))["modules"]
    return [
        (module["id"], lesson["id"])
        for module in modules
        if module["status"] == "published"
        for lesson in module["lessons"]
        if lesson["status"] == "published"
    ]


def complete_course(client: TestClient, student: Learner, admin: str, course: Course) -> None:
    """Finish every published lesson of the course, which completes the enrollment."""
    for module_id, lesson_id in published_lessons(client, admin, course):
        body = {
            "enrollmentId": student.enrollment_id,
            "moduleId": module_id,
            "lessonId": lesson_id,
            "progress": 1,
        }
        answer = student.wrote(
            client.post("/api/progress/update", json=body, headers=bearer(student.token))
        )
        assert answer.status_code == 200, answer.text
    assert data(answer)["status"] == "completed", answer.text


def graduate(client: TestClient, admin: str, course: Course, **fields: Any) -> Learner:
    """A new learner who paid for, enrolled in and completed the course."""
    student = enrolled(client, course.id, **fields)
    complete_course(client, student, admin, course)
    return student


def study(
    client: TestClient, student: Learner, lesson: tuple[str, str], progress: float, **fields: Any
) -> dict[str, Any]:
    """Record one study session of ``lesson`` (module id, lesson id); answer the write's data."""
    body = {
        "enrollmentId": student.enrollment_id,
        "moduleId": lesson[0],
        "lessonId": lesson[1],
        "progress": progress,
    } | fields
    answer = student.wrote(
        client.post("/api/progress/update", json=body, headers=bearer(student.token))
    )
    assert answer.status_code == 200, answer.text
    return data(answer)


def rate(client: TestClient, student: Learner, course_id: str, stars: int) -> Response:
    path, body = f"/api/courses/{course_id}/rating", {"rating": stars}
    return student.wrote(client.post(path, json=body, headers=bearer(student.token)))


def read(client: TestClient, student: Learner, path: str) -> Response:
    """A GET as ``student``, made after everything they wrote is projected."""
    return client.get(path, headers=student.headers())
