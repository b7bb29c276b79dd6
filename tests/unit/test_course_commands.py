"""Authoring courses through the bus: who may write one, its modules, lessons and quizzes, and
the rules that keep a published course studiable."""

from __future__ import annotations

import pytest

from commands.courses.author_course import CreateCourse, LessonDraft
from commands.courses.change_course import (
    AddLesson,
    AddModule,
    ArchiveCourse,
    PublishCourse,
    RemoveLesson,
    RemoveModule,
    RemoveQuiz,
    ReorderLessons,
    ReorderModules,
    SetQuiz,
    UnpublishCourse,
    UpdateLesson,
    UpdateModule,
)
from commands.courses.update_course import UpdateCourse
from domain.courses.course import QuizHeldError
from domain.courses.structure import (
    CourseArchivedError,
    CourseNotFoundError,
    InvalidStructureError,
    NotPublishableError,
)
from domain.errors import ForbiddenError
from domain.learning.enrollment_terms import Status
from domain.users.roles import Role
from ops.bootstrap import Campus
from tests.unit.bus import (
    Course,
    admin,
    course_with_quiz,
    enrolled,
    instructor,
    person,
    published_course,
    study,
    sum_quiz,
)


def outline(campus: Campus, course: Course) -> list[str]:
    return [m.id for m in campus.apps["catalog"].get_course(course.id).modules]


def lessons_of(campus: Campus, course: Course) -> list[str]:
    modules = campus.apps["catalog"].get_course(course.id).modules
    return [lesson.id for lesson in modules[0].lessons]


def blank(campus: Campus, owner) -> CreateCourse:
    return CreateCourse(owner, "Empty", "Nothing yet", "Testing", "Beginner", 10, 0)


def test_only_instructors_and_admins_author_courses(campus):
    with pytest.raises(ForbiddenError):
        campus.bus.handle(blank(campus, person(campus, "Ada")))


def test_an_admin_authors_a_course_for_the_instructor_they_name(campus):
    grace = instructor(campus)
    command = CreateCourse(
        admin(campus), "T", "D", "C", "Beginner", 10, 0, instructor_id=grace.user_id
    )
    course_id = campus.bus.handle(command)
    assert campus.apps["catalog"].get_course(course_id).instructor_id == grace.user_id


def test_a_course_with_nothing_published_cannot_be_published(campus):
    grace = instructor(campus)
    course_id = campus.bus.handle(blank(campus, grace))
    with pytest.raises(NotPublishableError):
        campus.bus.handle(PublishCourse(grace, course_id))


def test_only_the_courses_instructor_or_an_admin_changes_it(campus):
    course = published_course(campus, instructor(campus))
    other = person(campus, "Linus", Role.INSTRUCTOR)
    with pytest.raises(ForbiddenError):
        campus.bus.handle(UpdateCourse(other, course.id, {"title": "Mine now"}))
    campus.bus.handle(UpdateCourse(admin(campus), course.id, {"title": "Python, revised"}))
    assert campus.apps["catalog"].get_course(course.id).title == "Python, revised"


def test_an_unpublished_course_takes_no_new_learners(campus):
    course = published_course(campus, instructor(campus))
    campus.bus.handle(UnpublishCourse(course.owner, course.id))
    with pytest.raises(CourseNotFoundError):
        enrolled(campus, person(campus, "Ada"), course)


def test_an_archived_course_cannot_be_changed(campus):
    course = published_course(campus, instructor(campus))
    campus.bus.handle(ArchiveCourse(course.owner, course.id))
    with pytest.raises(CourseArchivedError):
        campus.bus.handle(AddModule(course.owner, course.id, title="More"))


def test_a_published_course_keeps_at_least_one_published_lesson(campus):
    course = published_course(campus, instructor(campus))
    with pytest.raises(NotPublishableError):
        campus.bus.handle(
            RemoveLesson(course.owner, course.id, course.module_id, course.lesson_ids[0])
        )
    with pytest.raises(NotPublishableError):
        campus.bus.handle(RemoveModule(course.owner, course.id, course.module_id))
    assert lessons_of(campus, course) == list(course.lesson_ids)


def test_a_module_added_at_a_position_is_placed_there_and_can_be_reordered(campus):
    course = published_course(campus, instructor(campus))
    added = campus.bus.handle(AddModule(course.owner, course.id, title="Intro", order=1))
    assert outline(campus, course) == [added, course.module_id]
    campus.bus.handle(ReorderModules(course.owner, course.id, (course.module_id, added)))
    assert outline(campus, course) == [course.module_id, added]


def test_a_new_order_must_name_every_module_exactly_once(campus):
    course = published_course(campus, instructor(campus))
    added = campus.bus.handle(AddModule(course.owner, course.id, title="Intro"))
    with pytest.raises(InvalidStructureError):
        campus.bus.handle(ReorderModules(course.owner, course.id, (added,)))


def test_a_removed_module_takes_its_lessons_with_it(campus):
    course = published_course(campus, instructor(campus))
    drafts = (LessonDraft("Extra", "ARTICLE", content="More"),)
    added = campus.bus.handle(AddModule(course.owner, course.id, title="Extra", lessons=drafts))
    campus.bus.handle(RemoveModule(course.owner, course.id, added))
    assert outline(campus, course) == [course.module_id]


def test_modules_cannot_require_each_other_in_a_cycle(campus):
    course = published_course(campus, instructor(campus))
    first, owner = course.module_id, course.owner
    second = campus.bus.handle(
        AddModule(owner, course.id, title="Next", prerequisite_module_ids=(first,))
    )
    with pytest.raises(InvalidStructureError):
        campus.bus.handle(UpdateModule(owner, course.id, first, prerequisite_module_ids=(second,)))


def test_a_course_cannot_require_itself_nor_a_course_requiring_it(campus):
    grace = instructor(campus)
    first, second = published_course(campus, grace), published_course(campus, grace)
    with pytest.raises(InvalidStructureError):
        campus.bus.handle(UpdateCourse(grace, first.id, prerequisite_course_ids=(first.id,)))
    campus.bus.handle(UpdateCourse(grace, second.id, prerequisite_course_ids=(first.id,)))
    with pytest.raises(InvalidStructureError):
        campus.bus.handle(UpdateCourse(grace, first.id, prerequisite_course_ids=(second.id,)))


def test_a_lesson_added_at_a_position_is_placed_there_and_can_be_reordered(campus):
    course = published_course(campus, instructor(campus), lessons=2)
    first, second = course.lesson_ids
    command = AddLesson(course.owner, course.id, course.module_id, "New", content="Text", order=1)
    added = campus.bus.handle(command)
    assert lessons_of(campus, course) == [added, first, second]
    order = (second, first, added)
    campus.bus.handle(ReorderLessons(course.owner, course.id, course.module_id, order))
    assert lessons_of(campus, course) == list(order)


def test_a_lesson_set_back_to_draft_no_longer_counts_towards_completion(campus):
    course = published_course(campus, instructor(campus), lessons=2)
    change = UpdateLesson(
        course.owner, course.id, course.module_id, course.lesson_ids[1], {"status": "draft"}
    )
    campus.bus.handle(change)
    ada = person(campus, "Ada")
    enrolled(campus, ada, course)
    assert study(campus, ada, course, 0).status is Status.COMPLETED


def test_only_a_quiz_lesson_holds_a_quiz(campus):
    course = published_course(campus, instructor(campus))
    command = SetQuiz(course.owner, course.id, course.module_id, course.lesson_ids[0], sum_quiz())
    with pytest.raises(InvalidStructureError):
        campus.bus.handle(command)


def test_a_lesson_holding_a_quiz_keeps_its_type(campus):
    course = course_with_quiz(campus, instructor(campus))
    change = UpdateLesson(
        course.owner, course.id, course.module_id, course.lesson_ids[0], {"type": "ARTICLE"}
    )
    with pytest.raises(QuizHeldError):
        campus.bus.handle(change)


def test_without_its_quiz_a_quiz_lesson_is_completed_by_progress(campus):
    course = course_with_quiz(campus, instructor(campus))
    campus.bus.handle(RemoveQuiz(course.owner, course.id, course.module_id, course.lesson_ids[0]))
    ada = person(campus, "Ada")
    enrolled(campus, ada, course)
    assert study(campus, ada, course).status is Status.COMPLETED
