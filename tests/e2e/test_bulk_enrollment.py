"""Bulk enrollment over HTTP (``POST /api/admin/enrollments/bulk``) on both backends: an admin's
CSV mixes good, unknown, malformed, duplicate and already-enrolled rows; a dry run predicts
row by row what the real run then does, and writes nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from httpx import Response

from tests.api import admin_token, bearer, data, error, signed_up, unique_email
from tests.commerce import course_for_sale
from tests.conftest import Running
from tests.courses import create_course

BULK = "/api/admin/enrollments/bulk"


@dataclass
class School:
    running: Running
    admin: str
    python: str  # published courses
    design: str
    draft: str  # a course not (yet) published
    archived: str
    ada: str  # learners' e-mails
    bob: str

    def csv(self) -> str:
        """One row of each kind, with the header's case and column order not the usual."""
        ghost, nowhere = unique_email("ghost"), str(uuid.uuid4())
        rows = [
            "CourseID,Note,EMAIL",
            f"{self.python},good,{self.ada}",
            f"{self.python},no such learner,{ghost}",
            f"{nowhere},no such course,{self.ada}",
            f"{self.python},malformed,not-an-e-mail",
            f"{self.python},same as row 1,{self.ada.upper()}",
            f"{self.design},enrolled before,{self.bob}",
            f"{self.draft},not published,{self.bob}",
            f"{self.archived},archived,{self.bob}",
            f"{self.python},e-mail missing",
            f"{self.python},good too,{self.bob}",
        ]
        return "\r\n".join(rows) + "\r\n"

    def send_csv(self, text: str, dry_run: bool, token: str | None = None) -> Response:
        headers = bearer(token or self.admin) | {"Content-Type": "text/csv"}
        query = "?dryRun=true" if dry_run else ""
        return self.running.client.post(BULK + query, content=text.encode(), headers=headers)

    def upload(self, text: str, dry_run: bool) -> Response:
        files = {"file": ("learners.csv", "\ufeff".encode() + text.encode(), "text/csv")}
        form = {"dryRun": "true" if dry_run else "false"}
        return self.running.client.post(BULK, files=files, data=form, headers=bearer(self.admin))


EXPECTED = [
    "would_enroll",
    "unknown_user",
    "unknown_course",
    "invalid_row",
    "duplicate_row",
    "already_enrolled",
    "unknown_course",
    "unknown_course",
    "invalid_row",
    "would_enroll",
]


@pytest.fixture
def school(backend: Running) -> School:
    client, admin = backend.client, admin_token(backend)
    python, design = course_for_sale(client, admin), course_for_sale(client, admin, "0.00")
    draft, _ = create_course(client, admin)
    archived = course_for_sale(client, admin)
    assert client.delete(f"/api/courses/{archived}", headers=bearer(admin)).status_code == 200
    ada, bob = unique_email("ada"), unique_email("bob")
    signed_up(client, email=ada)
    bob_id = signed_up(client, email=bob)[0]["userId"]
    enrolled = client.post(
        "/api/enrollments/enroll",
        json={"courseId": design, "userId": bob_id},
        headers=bearer(admin),
    )
    assert enrolled.status_code == 201, enrolled.text
    return School(backend, admin, python, design, draft, archived, ada, bob)


def positions(running: Running) -> dict[str, int]:
    """How far each application's log goes; not the notifications', which the sender writes
    in the background for what happened before."""
    return {
        name: app.recorder.max_notification_id() or 0
        for name, app in running.campus.apps.items()
        if name != "notifications"
    }


def outcomes(report: dict[str, Any]) -> list[str]:
    return [row["outcome"] for row in report["rows"]]


def test_a_dry_run_reports_row_by_row_and_writes_nothing(school: School) -> None:
    before = positions(school.running)
    response = school.upload(school.csv(), dry_run=True)
    report = data(response)
    assert report["dryRun"] is True and outcomes(report) == EXPECTED
    assert [row["row"] for row in report["rows"]] == list(range(1, 11))
    first, duplicate = report["rows"][0], report["rows"][4]
    assert (first["email"], first["courseId"]) == (school.ada, school.python)
    assert first["enrollmentId"] and duplicate["message"] == "Same e-mail and course as row 1"
    assert report["rows"][8]["message"] == "email is missing"
    assert report["summary"] == {
        "enrolled": 0,
        "wouldEnroll": 2,
        "alreadyEnrolled": 1,
        "unknownUser": 1,
        "unknownCourse": 3,
        "duplicateRow": 1,
        "invalidRow": 2,
        "total": 10,
    }
    assert positions(school.running) == before
    assert "X-Consistency-Token" not in response.headers


def test_a_real_run_does_what_the_dry_run_predicted(school: School) -> None:
    predicted = data(school.send_csv(school.csv(), dry_run=True))
    response = school.send_csv(school.csv(), dry_run=False)
    report = data(response)
    expected = ["enrolled" if o == "would_enroll" else o for o in outcomes(predicted)]
    assert report["dryRun"] is False and outcomes(report) == expected
    ids = [row["enrollmentId"] for row in report["rows"]]
    assert ids == [row["enrollmentId"] for row in predicted["rows"]]
    assert report["summary"]["enrolled"] == 2 and report["summary"]["wouldEnroll"] == 0
    assert response.headers["X-Consistency-Token"]


def test_a_second_run_finds_the_learners_it_enrolled_already_enrolled(school: School) -> None:
    first = data(school.upload(school.csv(), dry_run=False))
    again = data(school.send_csv(school.csv(), dry_run=False))
    enrolled = [i for i, outcome in enumerate(outcomes(first)) if outcome == "enrolled"]
    assert len(enrolled) == 2
    assert {outcomes(again)[i] for i in enrolled} == {"already_enrolled"}
    assert [again["rows"][i]["enrollmentId"] for i in enrolled] == [
        first["rows"][i]["enrollmentId"] for i in enrolled
    ]
    assert again["summary"]["alreadyEnrolled"] == 3


def test_only_admins_enroll_in_bulk(school: School) -> None:
    student = signed_up(school.running.client)[0]["token"]
    error(school.send_csv(school.csv(), dry_run=True, token=student), 403)


def test_a_file_without_the_header_is_refused_naming_the_missing_column(school: School) -> None:
    refused = error(school.send_csv(f"email,course\n{school.ada},{school.python}\n", False), 400)
    assert "courseId" in refused["message"] and "email column" not in refused["message"]
    headless = error(school.upload(f"{school.ada},{school.python}\n", dry_run=False), 400)
    assert "email or courseId" in headless["message"]


def test_files_past_the_size_or_row_limit_are_refused(school: School) -> None:
    rows = "email,courseId\n" + f"{school.ada},{school.python}\n" * 5001
    assert "5000 rows" in error(school.send_csv(rows, dry_run=True), 413)["message"]
    huge = "email,courseId,note\n" + f"{school.ada},{school.python},{'x' * 1000}\n" * 1100
    error(school.send_csv(huge, dry_run=True), 413)
    error(school.upload(huge, dry_run=True), 413)
