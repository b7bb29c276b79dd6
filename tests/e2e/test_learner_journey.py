"""The whole learner journey, as a newcomer walks it, on both backends (the services backend
runs the relay, Kafka and the projector as production does): pay, enroll, learn with resume,
complete, get a certificate, download it, have it verified, and see it revoked."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.api import admin_token, bearer, data
from tests.learning import (
    enrolled,
    published_course,
    published_lessons,
    read,
    study,
)


def test_pay_enroll_learn_complete_certify_verify_revoke(backend):
    client = backend.client
    admin = admin_token(backend)
    course = published_course(client, admin, title="Event Sourcing in Practice")
    ada = enrolled(client, course.id, name="Ada Lovelace")
    first, second = published_lessons(client, admin, course)

    study(client, ada, first, 0.4, timeSpent=300, positionSeconds=125)
    resume = data(read(client, ada, f"/api/progress/{ada.enrollment_id}"))
    assert (resume["lessonId"], resume["positionSeconds"]) == (first[1], 125)

    study(client, ada, first, 1, timeSpent=200)
    done = study(client, ada, second, 1, timeSpent=100)
    assert done["status"] == "completed"
    enrollment = data(read(client, ada, f"/api/enrollments/{ada.enrollment_id}"))
    assert (enrollment["status"], enrollment["progress"]) == ("completed", 1.0)

    issued = ada.wrote(
        client.post(
            "/api/certificates/generate", json={"courseId": course.id}, headers=bearer(ada.token)
        )
    )
    certificate = data(issued)
    pdf = read(client, ada, f"/api/certificates/{certificate['certificateId']}/download")
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Ada Lovelace" in text and certificate["uniqueId"] in text

    verified = client.get(f"/api/certificates/verify/{certificate['uniqueId']}")
    assert data(verified)["valid"] and data(verified)["learnerName"] == "Ada Lovelace"
    dashboard = data(read(client, ada, "/api/user/dashboard"))
    assert dashboard["certificateCount"] == 1 and dashboard["totalTimeSpent"] == 600

    revoked = client.post(
        f"/api/admin/certificates/{certificate['certificateId']}/revoke",
        json={"reason": "issued in error"},
        headers=bearer(admin),
    )
    ada.wrote(revoked)
    after = client.get(
        f"/api/certificates/verify/{certificate['uniqueId']}",
        headers={"X-Consistency-Token": ada.written},
    )
    assert (data(after)["valid"], data(after)["status"]) == (False, "revoked")
