"""The setup phase of the read benchmarks: a catalog of published courses, and learners in them.

An instructor authors free courses with a few modules of lessons each, published at once, and
every benchmark user enrolls in some of them, so that a catalog page is full, a course has a
structure worth sorting and a dashboard lists courses under way. All through the command bus.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

from commands.courses.author_course import CreateCourse, LessonDraft, ModuleDraft
from commands.learning.enroll import EnrollInCourse
from commands.users.register_user import RegisterUser
from domain.actor import Actor
from domain.users.roles import Role
from ops.bootstrap import Campus

MODULES, LESSONS = 4, 5
ENROLLMENTS_PER_USER = 3


def module(n: int) -> ModuleDraft:
    lessons = tuple(
        LessonDraft(f"Lesson {n}.{m}", "ARTICLE", content="Read this.", status="published")
        for m in range(1, LESSONS + 1)
    )
    return ModuleDraft(f"Module {n}", "published", lessons)


def author_courses(campus: Campus, count: int) -> list[UUID]:
    """``count`` published free courses by one new instructor; answer their ids."""
    email = f"teacher-{uuid.uuid4().hex[:8]}@example.com"
    teacher = campus.bus.handle(RegisterUser(email, None, "Bench teacher", role=Role.INSTRUCTOR))
    actor = Actor(teacher, Role.INSTRUCTOR.value)
    modules = tuple(module(n) for n in range(1, MODULES + 1))
    return [
        campus.bus.handle(
            CreateCourse(
                actor,
                f"Bench course {n}",
                "A course to read.",
                "Programming",
                "Beginner",
                60,
                0,
                modules=modules,
                publish=True,
            )
        )
        for n in range(count)
    ]


def enroll_everyone(campus: Campus, learners: list[UUID], courses: list[UUID]) -> None:
    """Each learner in ``ENROLLMENTS_PER_USER`` of the courses, spread over all of them."""

    def enroll(n: int) -> None:
        learner = learners[n]
        for k in range(ENROLLMENTS_PER_USER):
            course = courses[(n + k) % len(courses)]
            campus.bus.handle(EnrollInCourse(Actor(learner, Role.STUDENT.value), learner, course))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(enroll, range(len(learners))))
