"""A lesson's quiz as its learner takes it: the questions without their answers (in this
attempt's order when shuffled), the attempts made and left, the best score, and whether the
lesson is locked. Enrolled learners and the course's instructor and admins may read it."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends
from sqlalchemy import Connection

from domain.courses.quiz import NotEnrolledInCourseError
from domain.learning.enrollment_terms import Status, enrollment_id_of
from infra.security.tokens import AccessClaims
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.courses import visible_course
from read_api.deps import Reads
from read_api.queries.enrollments import enrollment_row
from read_api.queries.quizzes import attempts_of, quiz_document, quiz_view
from read_api.queries.unlocking import learner_unlocking
from schemas.quizzes import QuizView

router = APIRouter(prefix="/api/courses", tags=["quizzes"])


@router.get(
    "/{course_id}/modules/{module_id}/lessons/{lesson_id}/quiz",
    # The quiz is the course's; the attempts and locks follow from the learner's enrollment.
    dependencies=[Depends(consistent_with("catalog")), Depends(consistent_with("enrollments"))],
    responses=documented(QuizView),
)
async def get_quiz(
    course_id: UUID, module_id: str, lesson_id: str, user: CurrentUser, reads: Reads
) -> EnvelopeResponse:
    """A lesson's quiz without its answers, with your attempts, best score and locks."""
    return success(await reads.query(learners_quiz, course_id, module_id, lesson_id, user))


def learners_quiz(
    db: Connection, course_id: UUID, module_id: str, lesson_id: str, viewer: AccessClaims
) -> QuizView:
    course, full = visible_course(db, str(course_id), viewer)
    quiz = quiz_document(course, module_id, lesson_id, full)
    learner_id = str(viewer.user_id)
    if full:  # the course's staff preview it: nothing counted, nothing locked
        return quiz_view(course, module_id, lesson_id, quiz, learner_id, [])
    enrollment_id = str(enrollment_id_of(viewer.user_id, course_id))
    enrollment = enrollment_row(db, enrollment_id)
    if enrollment is None or enrollment.status == Status.DROPPED.value:
        raise NotEnrolledInCourseError
    lock = learner_unlocking(db, course, enrollment_id).lesson(lesson_id)
    attempts = attempts_of(db, enrollment_id, [lesson_id])
    return quiz_view(course, module_id, lesson_id, quiz, learner_id, attempts, lock)
