"""Two courses made to require each other at the same moment: the checks of the two updates
take turns, so one of them sees the other's requirement and refuses, on both event stores."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from commands.courses.update_course import UpdateCourse
from domain.courses.structure import InvalidStructureError
from tests.unit.bus import instructor, published_course

ROUNDS = 20


def test_two_courses_made_to_require_each_other_at_once_never_both_do(backend):
    campus = backend.campus
    grace = instructor(campus)
    for _ in range(ROUNDS):
        first, second = published_course(campus, grace), published_course(campus, grace)
        together = Barrier(2)

        def require(course, other, together=together) -> bool:
            together.wait()  # both check at the same moment
            try:
                campus.bus.handle(
                    UpdateCourse(grace, course.id, prerequisite_course_ids=(other.id,))
                )
            except InvalidStructureError:
                return False
            return True

        with ThreadPoolExecutor(2) as pool:
            done = [pool.submit(require, first, second), pool.submit(require, second, first)]
            saved = [future.result() for future in done]
        assert saved.count(True) == 1, "both courses now require each other"
