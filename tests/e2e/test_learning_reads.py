"""Reading learning back (spec §7, §8, §11) on both backends: an enrollment, its progress and
where to resume, a learner's list and dashboard, the catalog's rating from learners' stars,
preferences in the profile; and the learning read models replayed and rebuilt."""

from __future__ import annotations

import time
from dataclasses import dataclass
from uuid import NAMESPACE_URL, uuid5

import pytest
from sqlalchemy import select

from infra.eventstore.publishing import read_published
from projections.catalog import courses
from projections.course_ratings import course_ratings
from projections.enrollments import enrollments
from projections.lesson_progress import lesson_progress
from projections.rebuild import rebuild
from projections.users import users
from tests.api import admin_token, bearer, data, error
from tests.conftest import Running
from tests.courses import catalog
from tests.learning import (
    Course,
    Learner,
    complete_course,
    enroll,
    enrolled,
    learner,
    merged,
    published_course,
    published_lessons,
    rate,
    read,
    study,
)


@dataclass
class Classroom:
    """A campus with an admin and two published courses, each with two published lessons."""

    running: Running
    admin: str
    courses: list[Course]

    @property
    def client(self):
        return self.running.client

    def lessons(self, course: int = 0) -> list[tuple[str, str]]:
        return published_lessons(self.client, self.admin, self.courses[course])

    def enrolled(self, course: int = 0) -> Learner:
        return enrolled(self.client, self.courses[course].id)

    def get(self, student: Learner, path: str, expect: int = 200):
        answer = read(self.client, student, path)
        return data(answer) if expect == 200 else error(answer, expect)


@pytest.fixture
def classroom(backend: Running) -> Classroom:
    admin = admin_token(backend)
    titles = ("Introduction to Python", "Statistics for Everyone")
    return Classroom(
        backend, admin, [published_course(backend.client, admin, title=t) for t in titles]
    )


def test_an_enrollment_shows_its_course_status_and_the_lesson_last_visited(classroom):
    ada = classroom.enrolled()
    path = f"/api/enrollments/{ada.enrollment_id}"
    fresh = classroom.get(ada, path)
    (first, _), course = classroom.lessons(), classroom.courses[0]
    study(classroom.client, ada, first, 0.5, positionSeconds=42)
    studied = classroom.get(ada, path)

    assert fresh == fresh | {
        "enrollmentId": ada.enrollment_id,
        "userId": ada.user_id,
        "courseId": course.id,
        "courseTitle": "Introduction to Python",
        "status": "in_progress",
        "progress": 0.0,
        "currentLessonId": None,
        "currentModuleId": None,
        "source": "payment",
        "completedAt": None,
    }
    assert fresh["paymentId"] and fresh["enrollmentDate"].endswith("Z")
    assert studied == fresh | {"currentModuleId": first[0], "currentLessonId": first[1]}


def test_resume_is_the_last_lesson_visited_and_a_lesson_keeps_its_best_progress(classroom):
    ada, (a, b) = classroom.enrolled(), classroom.lessons()
    client, path = classroom.client, f"/api/progress/{ada.enrollment_id}"
    study(client, ada, a, 0.8, timeSpent=60, positionSeconds=120)
    written = study(client, ada, b, 0.3, timeSpent=40, positionSeconds=30)
    at_b = classroom.get(ada, path)
    study(client, ada, a, 0.2, timeSpent=20, positionSeconds=10)
    back_at_a = classroom.get(ada, path)

    assert (at_b["lessonId"], at_b["progress"], at_b["positionSeconds"]) == (b[1], 0.3, 30)
    assert at_b["progressId"] == written["progressId"]
    assert back_at_a == back_at_a | {
        "progressId": str(uuid5(NAMESPACE_URL, f"campus:progress:{ada.enrollment_id}:{a[1]}")),
        "enrollmentId": ada.enrollment_id,
        "moduleId": a[0],
        "lessonId": a[1],
        "progress": 0.8,  # the best reached, not the 0.2 of the last visit
        "positionSeconds": 10,
        "timeSpent": 120,
        "courseProgress": 0.0,
    }
    lessons = {x["lessonId"]: x for x in back_at_a["lessons"]}
    assert [x["lessonId"] for x in back_at_a["lessons"]] == [a[1], b[1]]  # newest first
    assert (lessons[a[1]]["timeSpent"], lessons[a[1]]["progress"]) == (80, 0.8)
    assert (lessons[b[1]]["timeSpent"], lessons[b[1]]["positionSeconds"]) == (40, 30)
    assert back_at_a["lastAccessed"] == lessons[a[1]]["lastAccessed"]


def test_completing_every_published_lesson_completes_the_enrollment(classroom):
    ada, (a, b) = classroom.enrolled(), classroom.lessons()
    study(classroom.client, ada, a, 1, timeSpent=300)
    halfway = classroom.get(ada, f"/api/enrollments/{ada.enrollment_id}")
    study(classroom.client, ada, b, 1, timeSpent=200)
    done = classroom.get(ada, f"/api/enrollments/{ada.enrollment_id}")
    progress = classroom.get(ada, f"/api/progress/{ada.enrollment_id}")

    assert (halfway["status"], halfway["progress"]) == ("in_progress", 0.5)
    assert (done["status"], done["progress"]) == ("completed", 1.0)
    assert done["completedAt"].endswith("Z")
    assert (progress["courseProgress"], progress["timeSpent"]) == (1.0, 500)


def test_another_learner_finds_neither_the_enrollment_nor_its_progress(classroom):
    ada, bob = classroom.enrolled(), classroom.enrolled()
    enrollment = f"/api/enrollments/{ada.enrollment_id}"
    progress = f"/api/progress/{ada.enrollment_id}"
    before = classroom.get(ada, progress, expect=404)
    study(classroom.client, ada, classroom.lessons()[0], 0.4)
    bob.written = merged(bob.written, ada.written)

    assert before["message"] == "Progress not found"  # nothing studied yet
    assert classroom.get(bob, enrollment, expect=404)["message"] == "Enrollment not found"
    assert classroom.get(bob, progress, expect=404)["message"] == "Progress not found"
    admin = Learner(classroom.admin, "", ada.written)
    assert classroom.get(admin, enrollment)["userId"] == ada.user_id
    assert classroom.get(admin, progress)["progress"] == 0.4
    missing = f"/api/enrollments/{uuid5(NAMESPACE_URL, 'nobody')}"
    assert classroom.get(ada, missing, expect=404)["message"] == "Enrollment not found"
    error(classroom.client.get(enrollment), 401)


def test_a_learner_lists_only_their_own_enrollments(classroom):
    ada = classroom.enrolled(0)
    enroll(classroom.client, ada, classroom.courses[1].id)
    complete_course(classroom.client, ada, classroom.admin, classroom.courses[1])
    bob = classroom.enrolled(0)
    ada.written = merged(ada.written, bob.written)

    listed = classroom.get(ada, "/api/enrollments")
    assert (listed["total"], listed["page"], listed["pageSize"]) == (2, 1, 20)
    assert {e["userId"] for e in listed["enrollments"]} == {ada.user_id}
    assert [e["courseId"] for e in listed["enrollments"]] == [
        classroom.courses[1].id,  # newest first
        classroom.courses[0].id,
    ]
    completed = classroom.get(ada, "/api/enrollments?status=completed")["enrollments"]
    assert [e["courseTitle"] for e in completed] == ["Statistics for Everyone"]
    assert len(classroom.get(ada, "/api/enrollments?page=2&pageSize=1")["enrollments"]) == 1
    refused = classroom.get(ada, f"/api/enrollments?userId={bob.user_id}", expect=403)
    assert "own enrollments" in refused["message"]
    admin = Learner(classroom.admin, "", ada.written)
    bobs = classroom.get(admin, f"/api/enrollments?userId={bob.user_id}")
    assert [e["enrollmentId"] for e in bobs["enrollments"]] == [bob.enrollment_id]
    classroom.get(ada, "/api/enrollments?status=lost", expect=400)


def test_the_dashboard_shows_courses_under_way_with_where_to_resume_and_courses_done(classroom):
    ada = classroom.enrolled(0)
    python = ada.enrollment_id
    statistics = enroll(classroom.client, ada, classroom.courses[1].id)
    a, b = classroom.lessons(1)
    complete_course(classroom.client, ada, classroom.admin, classroom.courses[1])
    ada.enrollment_id = python
    first = classroom.lessons(0)[0]
    study(classroom.client, ada, first, 0.25, timeSpent=90, positionSeconds=75)
    certificate = ada.wrote(
        classroom.client.post(
            "/api/certificates/generate",
            json={"courseId": classroom.courses[1].id},
            headers=bearer(ada.token),
        )
    )
    assert certificate.status_code == 201, certificate.text

    board = classroom.get(ada, "/api/user/dashboard")
    (active,) = board["activeCourses"]
    assert active == active | {
        "enrollmentId": python,
        "courseId": classroom.courses[0].id,
        "title": "Introduction to Python",
        "progress": 0.0,
    }
    assert active["resume"] == active["resume"] | {
        "moduleId": first[0],
        "lessonId": first[1],
        "positionSeconds": 75,
    }
    (completed,) = board["completedCourses"]
    assert completed["enrollmentId"] == statistics
    assert completed["title"] == "Statistics for Everyone" and completed["completedAt"]
    assert (board["certificateCount"], board["totalTimeSpent"]) == (1, 90)
    recent = [(x["lessonId"], x["title"]) for x in board["recentActivity"]]
    assert recent == [
        (first[1], "Introduction to Python"),
        (b[1], "Statistics for Everyone"),
        (a[1], "Statistics for Everyone"),
    ]


def test_a_new_learners_dashboard_is_empty(classroom):
    ada = learner(classroom.client)
    assert classroom.get(ada, "/api/user/dashboard") == {
        "activeCourses": [],
        "completedCourses": [],
        "certificateCount": 0,
        "totalTimeSpent": 0,
        "recentActivity": [],
        "quizzes": [],
    }


def test_the_catalog_rating_is_the_average_of_each_learners_latest_stars(classroom):
    course, query = classroom.courses[0], "q=introduction%20to%20python"
    ada, bob = classroom.enrolled(), classroom.enrolled()
    (unrated,) = catalog(classroom.client, query, merged(ada.written, bob.written))["courses"]
    catalog(classroom.client, query)  # now cached, unrated
    for student, stars in ((ada, 4), (ada, 2), (bob, 5)):
        assert rate(classroom.client, student, course.id, stars).status_code == 200

    written = merged(ada.written, bob.written)
    classroom.get(Learner(ada.token, ada.user_id, written), "/api/enrollments")  # projected
    recached = cached_rating(classroom, query)
    (rated,) = catalog(classroom.client, query, written)["courses"]
    assert (unrated["rating"], unrated["ratingCount"]) == (None, 0)
    assert (rated["rating"], rated["ratingCount"]) == (3.5, 2)
    assert recached == 3.5  # the ratings made the cached page stale
    (other,) = catalog(classroom.client, "q=statistics", written)["courses"]
    assert (other["rating"], other["ratingCount"]) == (None, 0)
    mine = classroom.get(ada, f"/api/enrollments/{ada.enrollment_id}")
    assert mine["rating"] == 2


def cached_rating(classroom: Classroom, query: str) -> float | None:
    """The rating on the catalog page as cached, once the projector has told the cache."""
    deadline = time.monotonic() + 2  # the bump follows the commit; entries live a minute
    while True:
        (course,) = catalog(classroom.client, query)["courses"]
        if course["rating"] is not None or time.monotonic() > deadline:
            return course["rating"]
        time.sleep(0.02)


def test_only_learners_enrolled_in_a_course_may_rate_it(classroom):
    stranger = learner(classroom.client)
    refused = rate(classroom.client, stranger, classroom.courses[0].id, 5)
    assert "enrolled" in error(refused, 403)["message"]


def test_preferences_appear_in_the_profile_and_on_their_own(classroom):
    ada = learner(classroom.client)
    defaults = classroom.get(ada, "/api/auth/user/profile")["preferences"]
    changed = ada.wrote(
        classroom.client.put(
            "/api/user/preferences",
            json={"notificationChannels": ["push"], "timezone": "Africa/Lagos"},
            headers=bearer(ada.token),
        )
    )
    assert changed.status_code == 200, changed.text

    chosen = {"notificationChannels": ["push"], "language": "en", "timezone": "Africa/Lagos"}
    assert defaults == {
        "notificationChannels": ["email", "in_app"],
        "language": "en",
        "timezone": "UTC",
    }
    assert classroom.get(ada, "/api/auth/user/profile")["preferences"] == chosen
    assert classroom.get(ada, "/api/user/preferences") == chosen
    error(classroom.client.get("/api/user/preferences"), 401)


def some_learning(classroom: Classroom) -> str:
    """Enrollments studied, revisited, completed, rated and re-rated; preferences changed."""
    client, (a, b) = classroom.client, classroom.lessons()
    ada, bob = classroom.enrolled(), classroom.enrolled()
    for student, lesson, share, seconds in ((ada, a, 0.6, 50), (ada, b, 1, 70), (ada, a, 0.3, 5)):
        study(client, student, lesson, share, timeSpent=seconds, positionSeconds=seconds)
    complete_course(client, bob, classroom.admin, classroom.courses[0])
    for student, stars in ((ada, 3), (bob, 4), (ada, 5)):
        rate(client, student, classroom.courses[0].id, stars)
    bob.wrote(
        client.put("/api/user/preferences", json={"language": "fr"}, headers=bearer(bob.token))
    )
    return merged(ada.written, bob.written)


def snapshot(classroom: Classroom, written: str) -> dict[str, list[tuple]]:
    reader = Learner(classroom.admin, "", written)
    classroom.get(reader, "/api/user/dashboard")  # waits until the last write is projected
    classroom.get(reader, "/api/user/preferences")
    catalog(classroom.client, "", written)
    with classroom.running.campus.read_engine.connect() as conn:
        return {
            t.name: sorted(tuple(r) for r in conn.execute(select(t)))
            for t in (enrollments, lesson_progress, course_ratings, courses, users)
        }


def test_replaying_every_learning_event_again_changes_nothing(classroom):
    written = some_learning(classroom)
    before = snapshot(classroom, written)
    runner = classroom.running.campus.runner()
    for app in classroom.running.campus.apps.values():
        runner.apply([(0, e) for e in read_published(app, 0, 10_000)])
    assert snapshot(classroom, written) == before


@pytest.mark.parametrize("batch_size", [1, 2000])
def test_a_rebuild_of_the_learning_read_models_equals_the_live_ones(classroom, batch_size):
    written = some_learning(classroom)
    live = snapshot(classroom, written)
    (rated,) = catalog(classroom.client, "q=introduction", written)["courses"]
    assert (rated["rating"], rated["ratingCount"]) == (4.5, 2)
    campus = classroom.running.campus
    # Learning before the catalog: ratings are replayed before the courses they rate.
    apps = sorted(campus.apps.values(), key=lambda app: app.name != "learning")
    for name in ("enrollments", "catalog", "users"):
        assert rebuild(campus.runner(name), apps, batch_size) > 0
    assert snapshot(classroom, written) == live
