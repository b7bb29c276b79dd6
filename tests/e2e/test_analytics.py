"""Analytics over HTTP on both backends. A seeded workload has learners pay (with and without a
coupon), enroll, study, complete, rate (and change their minds), get certificates, and one
payment partly refunded; then every figure of the analytics endpoints and of the reports
equals the one worked out independently from the read API's own read models."""

from __future__ import annotations

import csv
import io
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from httpx import Response
from pypdf import PdfReader

from tests.api import admin_token, bearer, data, error, token_for
from tests.commerce import create_coupon, pay
from tests.conftest import embedded_campus, services_campus
from tests.learning import (
    Course,
    Learner,
    learner,
    merged,
    published_course,
    published_lessons,
    rate,
    study,
)

SEED = 20250729
COUPON = "SAVE10"
COURSES = (("Python", "Programming", "5000.00"), ("Go", "Programming", "3000.00"))
COURSES += (("Drawing", "Art", "2000.00"),)
WAIT_SECONDS = 30  # Kafka's consumer group may take a while to settle on the services backend


@dataclass
class School:
    backend: Any
    admin: str
    courses: list[Course]
    learners: list[Learner] = field(default_factory=list)
    written: str = ""
    coupons: Counter[bool] = field(default_factory=Counter)
    certificates: int = 0

    @property
    def client(self) -> Any:
        return self.backend.client

    def wrote(self, response: Response) -> Response:
        self.written = merged(self.written, response.headers.get("X-Consistency-Token"))
        return response

    def get(self, path: str, token: str | None = None) -> Response:
        """A GET made once the projections hold everything written (retried while stale)."""
        headers = bearer(token or self.admin, self.written)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            answer = self.client.get(path, headers=headers)
            if answer.headers.get("X-Consistency") != "stale" or time.monotonic() > deadline:
                return answer


def take(school: School, student: Learner, course: Course, rng: random.Random) -> None:
    """Pay for a course (maybe with the coupon), enroll, study some of it, maybe rate it."""
    coupon = rng.random() < 0.5
    school.coupons[coupon] += 1
    with_coupon = {"couponCode": COUPON} if coupon else {}
    paid = pay(school.client, student.token, course.id, **with_coupon)
    assert student.wrote(paid).status_code == 201, paid.text
    enrolled = student.wrote(
        school.client.post(
            "/api/enrollments/enroll", json={"courseId": course.id}, headers=bearer(student.token)
        )
    )
    student.enrollment_id = data(enrolled)["enrollmentId"]
    lessons = published_lessons(school.client, school.admin, course)
    finished = rng.randint(0, len(lessons))
    for lesson in lessons[:finished]:
        study(school.client, student, lesson, 1)
    if finished == len(lessons) and rng.random() < 0.7:
        path, body = "/api/certificates/generate", {"courseId": course.id}
        issued = school.client.post(path, json=body, headers=bearer(student.token))
        assert student.wrote(issued).status_code == 201, issued.text
        school.certificates += 1
    for _ in range(rng.choice((0, 1, 1, 2))):  # none, once, or a change of mind
        assert rate(school.client, student, course.id, rng.randint(1, 5)).status_code == 200


def workload(backend: Any, seed: int = SEED) -> School:
    rng, client = random.Random(seed), backend.client
    admin = admin_token(backend)
    courses = [
        published_course(client, admin, title=title, category=category, price=price)
        for title, category, price in COURSES
    ]
    school = School(backend, admin, courses, written=merged(*(c.written for c in courses)))
    create_coupon(client, admin, COUPON)
    for number in range(6):
        student = learner(client, name=f"Learner {number}")
        for course in rng.sample(courses, rng.randint(1, 2)):
            take(school, student, course, rng)
        school.learners.append(student)
        school.written = merged(school.written, student.written)
    refund_one(school)
    assert school.coupons[True] and school.coupons[False] and school.certificates
    return school


def refund_one(school: School) -> None:
    payments = data(school.get("/api/payments?pageSize=100"))["payments"]
    path = f"/api/admin/payments/{payments[0]['paymentId']}/refund"
    refunded = school.client.post(path, json={"amount": "1000.00"}, headers=bearer(school.admin))
    assert school.wrote(refunded).status_code == 200, refunded.text


@pytest.fixture(scope="module", params=["embedded", "services"])
def school(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> School:
    """One school per backend for the module: its tests only read it, or add reports, which
    change no figure. The limiter is not what is tested here."""
    factory = embedded_campus if request.param == "embedded" else services_campus
    with factory(tmp_path_factory.mktemp("school"), rate_limit_per_minute=10**6) as running:
        yield workload(running)


def kobo(amount: float) -> int:
    return round(amount * 100)


def expected_courses(school: School) -> dict[str, dict[str, Any]]:
    """Each course's figures, from the payments, enrollments and catalog read models."""
    settled = ("success", "partially_refunded", "refunded")
    payments = [
        p
        for p in data(school.get("/api/payments?pageSize=100"))["payments"]
        if p["status"] in settled
    ]
    enrollments = [e for student in school.learners for e in enrollments_of(school, student)]
    catalog = data(school.get("/api/courses/catalog/list?pageSize=100"))["courses"]
    ratings = {c["courseId"]: (c["rating"], c["ratingCount"]) for c in catalog}
    counts = Counter(e["courseId"] for e in enrollments)
    top = max(counts.values())
    figures = {}
    for course in school.courses:
        paid = [p for p in payments if p["courseId"] == course.id]
        net = sum(kobo(p["discountedAmount"]) - kobo(p["refundedAmount"]) for p in paid)
        figures[course.id] = {
            "enrollments": counts[course.id],
            "completions": sum(
                1 for e in enrollments if e["courseId"] == course.id and e["completedAt"]
            ),
            "popularity": round(counts[course.id] / top, 2),
            "averageRating": ratings[course.id][0],
            "ratings": ratings[course.id][1],
            "couponUsage": sum(1 for p in paid if p["couponCode"]),
            "revenue": [{"amount": net / 100, "currency": "NGN"}] if paid else [],
        }
    return figures


def enrollments_of(school: School, student: Learner) -> list[dict[str, Any]]:
    return data(school.get("/api/enrollments?pageSize=100", student.token))["enrollments"]


def expected_users(school: School) -> dict[str, dict[str, Any]]:
    figures = {}
    for student in school.learners:
        enrollments = enrollments_of(school, student)
        certificates = data(school.get("/api/user/certificates", student.token))["total"]
        progress = sum(e["progress"] for e in enrollments) / len(enrollments)
        figures[student.user_id] = {
            "enrollments": len(enrollments),
            "completions": sum(1 for e in enrollments if e["completedAt"]),
            "certificates": certificates,
            "progress": round(progress, 2),
        }
    return figures


def test_course_analytics_equal_the_read_models(school: School) -> None:
    answer = data(school.get("/api/analytics/courses"))
    expected = expected_courses(school)
    found = {c["courseId"]: {k: c[k] for k in expected[c["courseId"]]} for c in answer["courses"]}
    assert found == expected
    assert answer["totalEnrollments"] == sum(c["enrollments"] for c in expected.values())
    art = data(school.get("/api/analytics/courses?category=Art"))["courses"]
    assert [c["title"] for c in art] == ["Drawing"]


def test_user_analytics_equal_the_read_models(school: School) -> None:
    answer = data(school.get("/api/analytics/users?role=student&pageSize=100"))
    found = {
        u["userId"]: {k: u[k] for k in ("enrollments", "completions", "certificates", "progress")}
        for u in answer["users"]
    }
    assert found == expected_users(school)
    assert answer["totalUsers"] == len(school.learners)
    everyone = data(school.get("/api/analytics/users?pageSize=2&page=1"))
    assert everyone["totalUsers"] == len(school.learners) + 1 and len(everyone["users"]) == 2


def test_a_range_before_anything_happened_is_all_zeros(school: School) -> None:
    answer = data(school.get("/api/analytics/courses?startDate=2000-01-01&endDate=2000-01-31"))
    assert answer["totalEnrollments"] == 0
    assert {(c["enrollments"], c["popularity"], c["averageRating"]) for c in answer["courses"]} == {
        (0, 0.0, None)
    }
    assert data(school.get("/api/analytics/users?endDate=2000-01-31"))["totalUsers"] == 0


def generate(school: School, kind: str) -> dict[str, Any]:
    body = {"type": kind, "parameters": {}}
    created = school.client.post(
        "/api/analytics/report", json=body, headers=bearer(school.admin, school.written)
    )
    assert created.status_code == 201, created.text
    return data(created)


def download(school: School, created: dict[str, Any], kind: str = "pdf") -> Response:
    path = created["reportUrl"].split("/api/", 1)[1]
    answer = school.client.get(f"/api/{path}?format={kind}", headers=bearer(school.admin))
    assert answer.status_code == 200, answer.text
    filename = f"report-{created['reportId']}.{kind}"
    assert answer.headers["content-disposition"] == f"attachment; filename={filename}"
    return answer


def csv_rows(school: School, kind: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(download(school, generate(school, kind), "csv").text)))


def test_a_report_answers_where_to_download_it(school: School) -> None:
    created = generate(school, "coursePopularity")
    base = school.backend.campus.settings.public_base_url.rstrip("/")
    assert created["reportUrl"] == f"{base}/api/analytics/reports/{created['reportId']}"
    assert (created["type"], created["message"]) == (
        "coursePopularity",
        "Report generated successfully",
    )
    pdf = download(school, created)
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    total = sum(figures["enrollments"] for figures in expected_courses(school).values())
    assert f"Total enrollments: {total}" in text and "Drawing" in text


def test_report_csvs_hold_the_read_models_numbers(school: School) -> None:
    courses = expected_courses(school)
    enrollments = {
        row["courseId"]: int(row["enrollments"]) for row in csv_rows(school, "coursePopularity")
    }
    assert enrollments == {course_id: c["enrollments"] for course_id, c in courses.items()}
    revenue: Counter[str] = Counter()
    for row in csv_rows(school, "revenue"):
        revenue[row["courseId"]] += kobo(float(row["revenue"]))
    assert revenue == {
        course_id: kobo(c["revenue"][0]["amount"])
        for course_id, c in courses.items()
        if c["revenue"]
    }
    progress = {row["userId"]: float(row["progress"]) for row in csv_rows(school, "userProgress")}
    users = expected_users(school)
    assert {user_id: progress[user_id] for user_id in users} == {
        user_id: u["progress"] for user_id, u in users.items()
    }


def test_analytics_are_for_admins_and_check_their_dates(school: School) -> None:
    client, admin = school.client, school.admin
    instructor = token_for(school.backend, "instructor")
    for path in ("/api/analytics/courses", "/api/analytics/users"):
        assert error(client.get(path), 401)["message"] == "Authentication required"
        denied = error(client.get(path, headers=bearer(instructor)), 403)
        assert denied["message"] == "Access denied"
        for dates in ("startDate=2025-13-01", "endDate=29-07-2025", "startDate=1700000000"):
            error(client.get(f"{path}?{dates}", headers=bearer(admin)), 400)
        backwards = "startDate=2025-07-29&endDate=2025-07-01"
        error(client.get(f"{path}?{backwards}", headers=bearer(admin)), 400)
    report = "/api/analytics/report"
    body = {"type": "everything", "parameters": {}}
    invalid = error(client.post(report, json=body, headers=bearer(admin)), 400)
    assert invalid["message"] == "Invalid report type"
    body = {"type": "revenue", "parameters": {"startDate": "2025-07-29", "endDate": "2025-07-01"}}
    error(client.post(report, json=body, headers=bearer(admin)), 400)
    error(client.post(report, json=body, headers=bearer(instructor)), 403)
    unknown = "/api/analytics/reports/7b0e9c1e-0000-4000-8000-000000000000"
    assert error(client.get(unknown, headers=bearer(admin)), 404)["message"] == "Report not found"
