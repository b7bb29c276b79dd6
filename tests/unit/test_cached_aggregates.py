"""The aggregates a process keeps cached: the next read brings the cached one up to date in
place, so a command that reads a course without copying it (a progress update asking which
lessons count) must find it still until it is done with it."""

from __future__ import annotations

import threading

from commands.courses.change_course import AddLesson
from domain.courses.course import Course
from tests.unit.bus import instructor, published_course


def lessons(course: Course) -> int:
    return sum(len(module.lessons) for module in course.modules)


def test_a_course_read_without_a_copy_stays_still_until_its_reader_is_done(campus):
    course = published_course(campus, instructor(campus))
    catalog = campus.apps["catalog"]
    held, written, seen = threading.Event(), threading.Event(), []

    def read() -> None:
        with catalog.reading_course(course.id) as cached:
            seen.append(lessons(cached))
            held.set()
            written.wait(timeout=0.5)  # the writer gets in only once the reader is done
            seen.append(lessons(cached))

    def write() -> None:
        campus.bus.handle(AddLesson(course.owner, course.id, course.module_id, "New", content="x"))
        catalog.get_course(course.id)  # the next read brings the cached course up to date
        written.set()

    reader = threading.Thread(target=read)
    reader.start()
    held.wait()
    writer = threading.Thread(target=write)
    writer.start()
    reader.join()
    writer.join()

    assert seen[0] == seen[1]
    assert lessons(catalog.get_course(course.id)) == seen[0] + 1
