"""What learners must do first, over HTTP on both backends: a sequential course, prerequisite
modules and courses, each refused with what is missing, shown in the structure and progress
answers, never locking the course's staff, and never taking back what a learner completed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from tests.api import admin_token, bearer, data, error, token_for
from tests.conftest import Running
from tests.courses import course_body
from tests.learning import Learner, learner, merged, read

UNLOCKED = {"lessonIds": [], "moduleIds": [], "courseIds": []}


def lesson(title: str) -> dict[str, Any]:
    return {"title": title, "type": "ARTICLE", "content": title, "status": "published"}


def module(title: str, *lessons: str) -> dict[str, Any]:
    return {"title": title, "status": "published", "lessons": [lesson(x) for x in lessons]}


@dataclass
class Campus:
    """A running Campus, its admin, and what the admin wrote (for reads that must see it)."""

    running: Running
    admin: str
    written: str = ""

    @property
    def client(self):
        return self.running.client

    def as_admin(self, method: str, path: str, expect: int = 200, **body: Any) -> Any:
        answer = self.client.request(method, path, json=body, headers=bearer(self.admin))
        self.written = merged(self.written, answer.headers.get("X-Consistency-Token"))
        return data(answer) if expect < 400 else error(answer, expect)

    def course(self, *modules: dict[str, Any], **fields: Any) -> str:
        """A free published course of ``modules`` (two of one lesson each by default)."""
        shape = list(modules) or [module("Basics", "One"), module("Further", "Two")]
        body = course_body(modules=shape, price="0", status="published") | fields
        return self.as_admin("POST", "/api/admin/courses", 201, **body)["courseId"]

    def structure(self, course_id: str, student: Learner | None = None) -> Any:
        if student is None:
            path = f"/api/courses/{course_id}/structure"
            return data(self.client.get(path, headers=bearer(self.admin, self.written)))
        student.written = merged(student.written, self.written)
        return data(read(self.client, student, f"/api/courses/{course_id}/structure"))

    def lessons(self, course_id: str) -> list[tuple[str, str]]:
        return [
            (m["id"], x["id"]) for m in self.structure(course_id)["modules"] for x in m["lessons"]
        ]

    def enroll(self, student: Learner, course_id: str, expect: int = 201) -> Any:
        answer = student.wrote(
            self.client.post(
                "/api/enrollments/enroll", json={"courseId": course_id}, headers=student.headers()
            )
        )
        if expect >= 400:
            return error(answer, expect)
        student.enrollment_id = data(answer)["enrollmentId"]
        return data(answer)

    def study(self, student: Learner, part: tuple[str, str], expect: int = 200) -> Any:
        body = {
            "enrollmentId": student.enrollment_id,
            "moduleId": part[0],
            "lessonId": part[1],
            "progress": 1,
        }
        answer = student.wrote(
            self.client.post("/api/progress/update", json=body, headers=bearer(student.token))
        )
        return data(answer) if expect < 400 else error(answer, expect)


@pytest.fixture
def campus(backend: Running) -> Campus:
    return Campus(backend, admin_token(backend))


def lesson_locks(structure: dict[str, Any]) -> list[tuple[bool, dict[str, list[str]]]]:
    return [(x["locked"], x["unlockedBy"]) for m in structure["modules"] for x in m["lessons"]]


def test_in_a_sequential_course_a_learner_who_skips_ahead_is_told_which_lesson_comes_first(
    campus,
):
    course_id = campus.course(module("Basics", "One", "Two"), module("Further", "Three"))
    campus.as_admin("PUT", f"/api/courses/{course_id}", sequential=True)
    (one, two, three), ada = campus.lessons(course_id), learner(campus.client)
    campus.enroll(ada, course_id)

    refused = campus.study(ada, two, 409)
    locks = lesson_locks(campus.structure(course_id, ada))
    campus.study(ada, one)
    after_one = lesson_locks(campus.structure(course_id, ada))
    campus.study(ada, two)
    finished = campus.study(ada, three)

    assert "locked" in refused["message"] and one[1] in refused["message"]
    assert refused["details"] == {
        "lessonId": two[1],
        "unlockedBy": UNLOCKED | {"lessonIds": [one[1]]},
    }
    assert locks == [
        (False, UNLOCKED),
        (True, UNLOCKED | {"lessonIds": [one[1]]}),
        (True, UNLOCKED | {"lessonIds": [two[1]]}),
    ]
    assert [locked for locked, _ in after_one] == [False, False, True]
    assert finished["status"] == "completed"


def test_a_course_created_sequential_says_so_in_its_structure(campus):
    course_id = campus.course(sequential=True)

    assert campus.structure(course_id)["sequential"] is True


def test_a_module_waits_for_its_prerequisite_modules_and_the_progress_answer_says_so(campus):
    course_id = campus.course()
    (basics, one), (further, two) = campus.lessons(course_id)
    campus.as_admin(
        "PUT", f"/api/courses/{course_id}/modules/{further}", prerequisiteModuleIds=[basics]
    )
    ada = learner(campus.client)
    campus.enroll(ada, course_id)

    refused = campus.study(ada, (further, two), 409)
    campus.study(ada, (basics, one))
    outline = data(read(campus.client, ada, f"/api/progress/{ada.enrollment_id}"))["outline"]
    structure = campus.structure(course_id, ada)

    assert refused["details"]["unlockedBy"] == UNLOCKED | {"moduleIds": [basics]}
    assert structure["modules"][1]["prerequisiteModuleIds"] == [basics]
    assert [(m["moduleId"], m["locked"]) for m in outline] == [(basics, False), (further, False)]
    assert outline[0]["lessons"][0] | {"unlockedBy": None} == {
        "lessonId": one,
        "completed": True,
        "locked": False,
        "unlockedBy": None,
    }
    campus.study(ada, (further, two))


def test_a_locked_module_shows_locked_in_the_progress_answer(campus):
    course_id = campus.course()
    (basics, one), (further, _) = campus.lessons(course_id)
    campus.as_admin(
        "PUT", f"/api/courses/{course_id}/modules/{further}", prerequisiteModuleIds=[basics]
    )
    ada = learner(campus.client)
    campus.enroll(ada, course_id)
    campus.study(ada, (basics, one), 200)
    campus.as_admin(
        "POST", f"/api/courses/{course_id}/modules/{basics}/lessons", 201, **lesson("Extra")
    )
    ada.written = merged(ada.written, campus.written)

    outline = data(read(campus.client, ada, f"/api/progress/{ada.enrollment_id}"))["outline"]

    assert outline[1] | {"lessons": None} == {
        "moduleId": further,
        "locked": True,
        "unlockedBy": UNLOCKED | {"moduleIds": [basics]},
        "lessons": None,
    }
    assert [x["locked"] for x in outline[1]["lessons"]] == [True]


def test_enrolling_without_the_prerequisite_course_is_refused_saying_which(campus):
    basics = campus.course(title="Python basics")
    advanced = campus.course(title="Advanced Python", prerequisiteCourseIds=[basics])
    ada = learner(campus.client)

    refused = campus.enroll(ada, advanced, 409)
    before = campus.structure(advanced, ada)
    campus.enroll(ada, basics)
    for part in campus.lessons(basics):
        campus.study(ada, part)
    campus.enroll(ada, advanced)
    after = campus.structure(advanced, ada)

    assert refused["details"] == {
        "courseId": advanced,
        "unlockedBy": UNLOCKED | {"courseIds": [basics]},
    }
    assert basics in refused["message"]
    assert (before["locked"], before["unlockedBy"]["courseIds"]) == (True, [basics])
    assert before["prerequisiteCourseIds"] == [basics]
    assert (after["locked"], after["unlockedBy"]) == (False, UNLOCKED)


def test_an_archived_course_cannot_become_a_prerequisite_but_one_already_required_stays(campus):
    old, kept = campus.course(title="Retired basics"), campus.course(title="Basics")
    advanced = campus.course(title="Advanced", prerequisiteCourseIds=[kept])
    for course_id in (old, kept):
        campus.as_admin("DELETE", f"/api/courses/{course_id}")

    refused = campus.as_admin(
        "POST", "/api/admin/courses", 400, **course_body(prerequisiteCourseIds=[old])
    )
    campus.as_admin(
        "PUT", f"/api/courses/{advanced}", title="Advanced, revised", prerequisiteCourseIds=[kept]
    )

    assert old in refused["message"] and "archived" in refused["message"]
    assert campus.structure(advanced)["prerequisiteCourseIds"] == [kept]


def test_a_course_can_be_made_sequential_with_a_prerequisite_course_by_put(campus):
    basics, advanced = campus.course(), campus.course()
    campus.as_admin(
        "PUT", f"/api/courses/{advanced}", sequential=True, prerequisiteCourseIds=[basics]
    )

    shown = campus.structure(advanced)

    assert (shown["sequential"], shown["prerequisiteCourseIds"]) == (True, [basics])
    assert campus.enroll(learner(campus.client), advanced, 409)["details"]["unlockedBy"][
        "courseIds"
    ] == [basics]


@pytest.mark.parametrize(
    "rule",
    ["an unknown course", "itself", "a cycle of courses", "an unknown module", "a module cycle"],
)
def test_rules_naming_what_does_not_exist_or_forming_a_cycle_are_refused(campus, rule):
    first, second = campus.course(), campus.course()
    (basics, _), (further, _) = campus.lessons(first)
    modules = f"/api/courses/{first}/modules"
    if rule == "a cycle of courses":
        campus.as_admin("PUT", f"/api/courses/{second}", prerequisiteCourseIds=[first])
    if rule == "a module cycle":
        campus.as_admin("PUT", f"{modules}/{further}", prerequisiteModuleIds=[basics])
    path, body = {
        "an unknown course": (
            f"/api/courses/{first}",
            {"prerequisiteCourseIds": [str(uuid.uuid4())]},
        ),
        "itself": (f"/api/courses/{first}", {"prerequisiteCourseIds": [first]}),
        "a cycle of courses": (f"/api/courses/{first}", {"prerequisiteCourseIds": [second]}),
        "an unknown module": (f"{modules}/{basics}", {"prerequisiteModuleIds": ["elsewhere"]}),
        "a module cycle": (f"{modules}/{basics}", {"prerequisiteModuleIds": [further]}),
    }[rule]

    refused = campus.as_admin("PUT", path, 400, **body)

    assert refused["message"] != "Invalid input data"  # it says what is wrong
    assert campus.structure(first)["prerequisiteCourseIds"] == []


def test_an_admin_grants_and_studies_any_lesson_whatever_the_course_requires(campus):
    basics = campus.course()
    course_id = campus.course(sequential=True, prerequisiteCourseIds=[basics])
    _, second = campus.lessons(course_id)
    granted = campus.as_admin("POST", "/api/enrollments/enroll", 201, courseId=course_id)
    body = {"enrollmentId": granted["enrollmentId"], "moduleId": second[0], "lessonId": second[1]}

    studied = campus.as_admin("POST", "/api/progress/update", progress=1, **body)

    assert studied["courseProgress"] == 0.5
    assert lesson_locks(campus.structure(course_id)) == [(False, UNLOCKED), (False, UNLOCKED)]


def test_the_courses_instructor_enrolls_and_studies_without_any_prerequisite(campus):
    basics = campus.course()
    teacher = Learner(token_for(campus.running, "instructor"), "")
    created = campus.client.post(
        "/api/admin/courses",
        json=course_body(
            modules=[module("Basics", "One"), module("Further", "Two")],
            price="0",
            status="published",
            sequential=True,
            prerequisiteCourseIds=[basics],
        ),
        headers=bearer(teacher.token),
    )
    course_id = data(teacher.wrote(created))["courseId"]

    campus.enroll(teacher, course_id)
    structure = data(read(campus.client, teacher, f"/api/courses/{course_id}/structure"))
    second = (structure["modules"][1]["id"], structure["modules"][1]["lessons"][0]["id"])
    studied = campus.study(teacher, second)

    assert studied["courseProgress"] == 0.5
    assert not structure["locked"]
    assert lesson_locks(structure) == [(False, UNLOCKED), (False, UNLOCKED)]


def test_changing_the_rules_never_takes_back_what_a_learner_completed(campus):
    course_id = campus.course(module("Basics", "One", "Two", "Three"))
    _, two, three = campus.lessons(course_id)
    ada = learner(campus.client)
    campus.enroll(ada, course_id)
    campus.study(ada, three)
    campus.as_admin("PUT", f"/api/courses/{course_id}", sequential=True)

    locks = lesson_locks(campus.structure(course_id, ada))
    again = campus.study(ada, three)

    assert [locked for locked, _ in locks] == [False, True, False]
    assert again["courseProgress"] == pytest.approx(1 / 3, abs=1e-4)
    campus.study(ada, two, 409)
