"""The setup of the write benchmarks: new users with tokens, and new learners in a course.

Each run starts from aggregates without history, so a figure does not depend on how many
updates earlier runs piled onto the same users or enrollments.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

from commands.learning.enroll import EnrollInCourse
from domain.actor import Actor
from domain.users.roles import Role
from ops.bench.courses import author_courses
from ops.bench.users import sign_up_users
from ops.bootstrap import Campus


def one_course(campus: Campus) -> tuple[UUID, str, str]:
    """A published course; answer its id and one published lesson's module and lesson ids."""
    course = author_courses(campus, 1)[0]
    lessons = campus.apps["catalog"].get_course(course).published_lessons()  # type: ignore[attr-defined]
    lesson, module = next(iter(lessons.items()))
    return course, module, lesson


def learners(campus: Campus, count: int, course: tuple[UUID, str, str]) -> list[str]:
    """``count`` new learners enrolled in ``course``; one wrk line each:
    ``token enrollment module lesson``."""
    course_id, module, lesson = course

    def enrolled(user: tuple[UUID, str]) -> str:
        learner, token = user
        command = EnrollInCourse(Actor(learner, Role.STUDENT.value), learner, course_id)
        enrollment = campus.bus.handle(command)
        return f"{token} {enrollment.id} {module} {lesson}"

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(enrolled, sign_up_users(campus, count)))
