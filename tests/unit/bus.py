"""What the bus-level unit tests start from: a Campus on the in-memory event store, its people
(an admin, an instructor, learners), a published course and the ways into it (a free course, a
card payment, an admin's grant).

Everything goes through ``campus.bus`` as the API would send it; the gateways are the embedded
default's own (the sandbox card gateway, the Paystack sandbox, the promo codes file, the mail
outbox), so no part of Campus is replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from commands.courses.author_course import CreateCourse, LessonDraft, ModuleDraft
from commands.courses.change_course import PublishCourse, SetQuiz
from commands.learning.enroll import EnrollInCourse
from commands.learning.update_progress import UpdateProgress
from commands.payments.initiate_payment import CardInput, InitiatePayment
from commands.users.register_user import RegisterUser
from domain.actor import Actor
from domain.commerce.payment import Payment
from domain.commerce.payment_terms import Method
from domain.courses.quiz import Option, Question, QuestionKind, Quiz
from domain.learning.enrollment import Enrollment
from domain.users.roles import Role
from ops.bootstrap import Campus

APPROVED_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
OTP_CARD = "5060666666666666666"


def person(campus: Campus, name: str, role: Role = Role.STUDENT) -> Actor:
    """A registered user, as the API's authorization sees them."""
    email = f"{name.lower()}@example.com"
    user_id = campus.bus.handle(RegisterUser(email, "secret-password", name, role=role))
    return Actor(user_id, role.value)


def admin(campus: Campus) -> Actor:
    return person(campus, "Root", Role.ADMIN)


def instructor(campus: Campus) -> Actor:
    return person(campus, "Grace", Role.INSTRUCTOR)


@dataclass(frozen=True)
class Course:
    """A course as its tests name its parts: the first module and its lessons, in order."""

    id: UUID
    owner: Actor
    module_id: str
    lesson_ids: tuple[str, ...]


def published_course(
    campus: Campus,
    owner: Actor,
    price: int = 0,
    lessons: int = 1,
    sequential: bool = False,
    publish: bool = True,
) -> Course:
    """A course of one published module of ``lessons`` published ARTICLE lessons."""
    drafts = tuple(
        LessonDraft(f"Lesson {n}", "ARTICLE", content="Read me", status="published")
        for n in range(1, lessons + 1)
    )
    module = ModuleDraft("Basics", "published", drafts)
    course_id = campus.bus.handle(
        CreateCourse(
            owner,
            "Python",
            "A course",
            "Programming",
            "Beginner",
            60,
            price,
            modules=(module,),
            publish=publish,
            sequential=sequential,
        )
    )
    structure = campus.apps["catalog"].get_course(course_id)
    first = structure.modules[0]
    return Course(course_id, owner, first.id, tuple(lesson.id for lesson in first.lessons))


def course_with_quiz(campus: Campus, owner: Actor, max_attempts: int | None = None) -> Course:
    """A free published course whose only lesson is a QUIZ: one question, "4" is right."""
    module = ModuleDraft(
        "Check", "published", (LessonDraft("Quiz", "QUIZ", content="Answer", status="published"),)
    )
    course_id = campus.bus.handle(
        CreateCourse(owner, "Sums", "A quiz", "Maths", "Beginner", 5, 0, modules=(module,))
    )
    first = campus.apps["catalog"].get_course(course_id).modules[0]
    course = Course(course_id, owner, first.id, (first.lessons[0].id,))
    quiz = sum_quiz(max_attempts)
    campus.bus.handle(SetQuiz(owner, course_id, first.id, course.lesson_ids[0], quiz))
    campus.bus.handle(PublishCourse(owner, course_id))
    return course


def sum_quiz(max_attempts: int | None = None) -> Quiz:
    options = (Option("three", "3"), Option("four", "4", correct=True))
    question = Question("q1", QuestionKind.SINGLE_CHOICE, "2 + 2?", options)
    return Quiz((question,), pass_mark=100.0, max_attempts=max_attempts)


def enrolled(campus: Campus, learner: Actor, course: Course) -> Enrollment:
    """The learner enrolled in a free course, or granted a paid one by an admin."""
    return campus.bus.handle(EnrollInCourse(learner, learner.user_id, course.id))


def card(number: str = APPROVED_CARD) -> CardInput:
    next_year = str(datetime.now(UTC).year + 1)
    return CardInput(number, "12", next_year, "123")


def pay_by_card(
    campus: Campus,
    learner: Actor,
    course: Course,
    number: str = APPROVED_CARD,
    coupon_code: str | None = None,
    idempotency_key: str | None = None,
) -> Payment:
    command = InitiatePayment(
        learner,
        learner.user_id,
        course.id,
        Method.CARD,
        card=card(number),
        coupon_code=coupon_code,
        idempotency_key=idempotency_key,
    )
    return campus.bus.handle(command)


def bought(campus: Campus, learner: Actor, course: Course) -> Enrollment:
    """The learner paid for the course by card and enrolled with that payment."""
    payment = pay_by_card(campus, learner, course)
    return campus.bus.handle(EnrollInCourse(learner, learner.user_id, course.id, payment.id))


def window(days: int = 30) -> tuple[datetime, datetime]:
    """A validity window open now, for ``days`` more days."""
    now = datetime.now(UTC)
    return now - timedelta(days=1), now + timedelta(days=days)


def study(
    campus: Campus, learner: Actor, course: Course, lesson: int = 0, progress: float = 1.0
) -> Enrollment:
    """The learner's progress in the course's ``lesson``-th lesson (all of it by default)."""
    enrollment_id = Enrollment.create_id(learner.user_id, course.id)
    command = UpdateProgress(
        learner, enrollment_id, course.module_id, course.lesson_ids[lesson], progress, 60
    )
    return campus.bus.handle(command)


def completed(campus: Campus, learner: Actor, course: Course) -> Enrollment:
    """The learner enrolled and studied every lesson of the course to its end."""
    enrolled(campus, learner, course)
    for lesson in range(len(course.lesson_ids)):
        enrollment = study(campus, learner, course, lesson)
    return enrollment
