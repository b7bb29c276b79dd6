"""Events stored before their shape changed load everywhere, on both event stores: through the
aggregate (a later command works on it), the projections (the read API shows it) and the audit.

Product changes made the shapes move: lessons gained ``durationSeconds``
(``Course.LessonAdded`` v2), study sessions gained the ``device`` (``Enrollment.
LessonProgressed`` v2) and certificates the template they are drawn with
(``Certificate.Issued`` v2). Each test stores an event as the older Campus did, straight into the
event store, then uses it as a learner, an author and an auditor would.
"""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime
from uuid import UUID

from pypdf import PdfReader

from domain.courses.certificate_design import DEFAULT_COLOURS, Design
from domain.courses.certificate_template import CertificateTemplate
from domain.courses.course import Course
from domain.learning.certificate import Certificate
from domain.learning.enrollment import Enrollment
from tests.api import admin_token, bearer, data
from tests.conftest import Running
from tests.courses import structure
from tests.learning import enrolled, learner, merged, published_course, published_lessons
from tests.old_events import store_old


def audited(running: Running, admin: str, aggregate_id: str, event_type: str) -> list[dict]:
    answer = running.client.get(
        f"/api/admin/audit/{aggregate_id}/events?pageSize=100", headers=bearer(admin)
    )
    assert answer.status_code == 200, answer.text
    return [e["data"] for e in data(answer)["events"] if e["type"] == event_type]


def lesson_of(running: Running, admin: str, course_id: str, written: str, lesson_id: str) -> dict:
    modules = data(structure(running.client, admin, course_id, written))["modules"]
    return next(x for m in modules for x in m["lessons"] if x["id"] == lesson_id)


def test_a_lesson_stored_before_lessons_had_a_duration_has_none(backend: Running):
    client, admin = backend.client, admin_token(backend)
    course = published_course(client, admin)
    catalog = backend.campus.apps["catalog"]
    aggregate = catalog.get_course(UUID(course.id))
    module_id, lesson_id = aggregate.modules[0].id, str(uuid.uuid4())
    aggregate.add_lesson(module_id, lesson_id, "Recorded long ago", "ARTICLE", content="text")
    written = store_old(catalog, aggregate, Course.LessonAdded, 1, ["duration_seconds"])

    assert lesson_of(backend, admin, course.id, written, lesson_id)["durationSeconds"] is None
    [added] = [
        e
        for e in audited(backend, admin, course.id, "Course.LessonAdded")
        if e["lesson_id"] == lesson_id
    ]
    assert added["duration_seconds"] is None

    timed = client.put(
        f"/api/courses/{course.id}/modules/{module_id}/lessons/{lesson_id}",
        json={"durationSeconds": 420},
        headers=bearer(admin),
    )
    assert timed.status_code == 200, timed.text
    written = merged(written, timed.headers["X-Consistency-Token"])
    assert lesson_of(backend, admin, course.id, written, lesson_id)["durationSeconds"] == 420


def test_a_session_stored_before_devices_were_recorded_was_on_an_unknown_device(
    backend: Running,
):
    client, admin = backend.client, admin_token(backend)
    course = published_course(client, admin)
    (module_id, lesson_id), *_ = published_lessons(client, admin, course)
    student = enrolled(client, course.id)
    learning = backend.campus.apps["learning"]
    assert student.enrollment_id
    enrollment_id = UUID(student.enrollment_id)
    aggregate = learning.get_enrollment(enrollment_id)
    published = backend.campus.apps["catalog"].get_course(UUID(course.id)).published_lessons()
    at = datetime.now(UTC)
    aggregate.record_progress(module_id, lesson_id, 0.5, 60, 30, at, published, "web")
    written = store_old(learning, aggregate, Enrollment.LessonProgressed, 1, ["device"])
    student.written = merged(student.written, written)

    progress = data(client.get(f"/api/progress/{enrollment_id}", headers=student.headers()))
    assert progress["lessonId"] == lesson_id and progress["progress"] == 0.5
    assert progress["device"] == "unknown"
    [session] = audited(backend, admin, str(enrollment_id), "Enrollment.LessonProgressed")
    assert session["device"] == "unknown"

    later = {
        "enrollmentId": str(enrollment_id),
        "moduleId": module_id,
        "lessonId": lesson_id,
        "progress": 0.8,
        "timeSpent": 60,
        "device": "android",
    }
    recorded = student.wrote(
        client.post("/api/progress/update", json=later, headers=student.headers())
    )
    assert recorded.status_code == 200, recorded.text
    sessions = audited(backend, admin, str(enrollment_id), "Enrollment.LessonProgressed")
    assert [s["device"] for s in sessions] == ["unknown", "android"]
    progress = data(client.get(f"/api/progress/{enrollment_id}", headers=student.headers()))
    assert progress["device"] == progress["lessons"][0]["device"] == "android"


def test_a_certificate_issued_before_templates_keeps_the_default_layout(backend: Running):
    client, admin = backend.client, admin_token(backend)
    course = published_course(client, admin, title="Statistics")
    catalog, learning = backend.campus.apps["catalog"], backend.campus.apps["learning"]
    template = CertificateTemplate.create(
        "Later", Design("Diploma", "{learner}", dict(DEFAULT_COLOURS)), uuid.uuid4()
    )
    aggregate = catalog.get_course(UUID(course.id))
    aggregate.assign_certificate_template(str(template.id))
    catalog.save(template, aggregate)  # assigned since: certificates issued before keep theirs
    ada = learner(client, name="Ada Obi")
    user_id = UUID(ada.user_id)
    certificate = Certificate.issue(
        Enrollment.create_id(user_id, UUID(course.id)), user_id, UUID(course.id), "Ada Obi",
        "Statistics", "Admin", datetime.now(UTC),
    )  # fmt: skip
    transcript = learning.transcript_of(user_id)
    transcript.add(certificate.id)
    learning.save(transcript)
    lacking = ["template_id", "template_revision", "progress"]
    written = store_old(learning, certificate, Certificate.Issued, 1, lacking)
    renamed = client.put(
        "/api/auth/user/profile", json={"name": "Ada Obi-Eze"}, headers=bearer(ada.token)
    )
    ada.written = merged(ada.written, written, renamed.headers["X-Consistency-Token"])

    download = client.get(f"/api/certificates/{certificate.id}/download", headers=ada.headers())
    assert download.status_code == 200, download.text
    text = PdfReader(io.BytesIO(download.content)).pages[0].extract_text()
    assert "Certificate of Completion" in text and "Ada Obi-Eze" in text
    [issued] = audited(backend, admin, str(certificate.id), "Certificate.Issued")
    assert (issued["template_id"], issued["template_revision"], issued["progress"]) == (
        None,
        None,
        None,
    )
