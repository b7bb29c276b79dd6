"""A generated history for analytics tests, made through the bus, and what it should count.

Two published courses (one renamed), each ending with a graded quiz, a coupon, and learners
who each pay by card (every other one with the coupon), enroll, study some lessons (every third
learner finishes them all, passing the quiz after a failed try, which completes the course and
earns a certificate) and mostly rate it; then a refund, a renamed learner and a promoted one.
A seed makes every run the same.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID

from commands.coupons.manage_coupon import CreateCoupon
from commands.courses.author_course import CreateCourse, LessonDraft, ModuleDraft
from commands.courses.change_course import SetQuiz
from commands.courses.update_course import UpdateCourse
from commands.learning.attempt_quiz import AttemptQuiz
from commands.learning.enroll import EnrollInCourse
from commands.learning.issue_certificate import GenerateCertificate
from commands.learning.rate_course import RateCourse
from commands.learning.update_progress import UpdateProgress
from commands.payments.initiate_payment import CardInput, InitiatePayment
from commands.payments.refund_payment import RefundPayment
from commands.users.administer_user import ChangeRole
from commands.users.register_user import RegisterUser
from commands.users.update_profile import UpdateProfile
from domain.actor import Actor
from domain.commerce.payment_terms import Method
from domain.commerce.pricing import Discount
from domain.courses.grading import Answer
from domain.courses.quiz import Question, QuestionKind, Quiz
from domain.users.roles import Role
from ops.bootstrap import Campus
from tests.api import PASSWORD, unique_email

COUPON = "SAVE10"
CARD = CardInput("4242424242424242", "12", "2099", "408")
LESSONS = (
    *(LessonDraft(f"Lesson {n}", "ARTICLE", content="…", status="published") for n in (1, 2, 3)),
    LessonDraft("Check", "QUIZ", content="…", status="published"),
)
QUIZ = Quiz(
    (
        Question("sum", QuestionKind.NUMERIC, "2 + 2?", answer=4),
        Question("say", QuestionKind.SHORT_TEXT, "Hello in Yoruba?", accepted_answers=("Bawo",)),
    ),
    pass_mark=100,
)
RIGHT = (("sum", Answer(number=4)), ("say", Answer(text="bawo")))


@dataclass
class History:
    facts: Counter[str] = field(default_factory=Counter)  # fact -> how many
    money: Counter[str] = field(default_factory=Counter)  # payment, refund -> minor units
    coupon_payments: int = 0
    courses: list[str] = field(default_factory=list)  # the first one renamed "Renamed"
    learners: list[str] = field(default_factory=list)
    renamed: str = ""  # a learner now called "Renamed Learner"
    promoted: str = ""  # a learner now an instructor


def register(campus: Campus, name: str, role: Role = Role.STUDENT) -> UUID:
    return campus.bus.handle(RegisterUser(unique_email(name.lower()), PASSWORD, name, role=role))


def new_course(campus: Campus, admin: Actor, teacher: UUID, title: str) -> UUID:
    course_id = campus.bus.handle(
        CreateCourse(
            admin,
            title,
            "…",
            "Programming",
            "Beginner",
            duration_minutes=90,
            price=500_000,
            instructor_id=teacher,
            modules=(ModuleDraft("Basics", "published", LESSONS),),
            publish=True,
        )
    )
    module = campus.apps["catalog"].get_course(course_id).modules[0]
    check = module.lessons[-1].id
    campus.bus.handle(SetQuiz(admin, course_id, module_id=module.id, lesson_id=check, quiz=QUIZ))
    return course_id


def make_history(campus: Campus, learners: int = 6, seed: int = 7) -> History:
    rng, history, bus = random.Random(seed), History(), campus.bus
    admin = Actor(register(campus, "Admin", Role.ADMIN), "admin")
    teacher = register(campus, "Teacher", Role.INSTRUCTOR)
    courses = [new_course(campus, admin, teacher, f"Course {n}") for n in (1, 2)]
    history.courses = [str(course) for course in courses]
    bus.handle(UpdateCourse(admin, courses[0], {"title": "Renamed", "category": "Data"}))
    now = datetime.now(UTC)
    bus.handle(CreateCoupon(admin, COUPON, Discount(1000), now - timedelta(1), now + timedelta(9)))
    payments = [learn(campus, history, rng.choice(courses), rng, n) for n in range(learners)]
    refunded = bus.handle(RefundPayment(admin, payments[0], None, "changed their mind"))
    history.facts["refund"] += 1
    history.money["refund"] += refunded.refunded_amount
    history.renamed, history.promoted = rng.sample(history.learners, 2)
    bus.handle(UpdateProfile(UUID(history.renamed), name="Renamed Learner"))
    bus.handle(ChangeRole(admin.user_id, UUID(history.promoted), Role.INSTRUCTOR))
    return history


def learn(campus: Campus, history: History, course: UUID, rng: random.Random, n: int) -> UUID:
    """A new learner pays for ``course``, enrolls and studies; answer the payment's id."""
    learner = register(campus, f"Learner{n}")
    me, code = Actor(learner, "student"), COUPON if n % 2 == 0 else None
    paid = campus.bus.handle(
        InitiatePayment(me, learner, course, Method.CARD, card=CARD, coupon_code=code)
    )
    enrollment = campus.bus.handle(EnrollInCourse(me, learner, course))
    history.learners.append(str(learner))
    history.facts.update(["payment", "enrollment"] + (["coupon_redemption"] if code else []))
    history.money["payment"] += paid.amount
    history.coupon_payments += bool(code)
    lessons = list(campus.apps["catalog"].get_course(course).published_lessons().items())
    studied = len(lessons) if n % 3 == 0 else rng.randint(1, len(lessons) - 1)
    for lesson_id, module_id in lessons[:studied]:
        if lesson_id == lessons[-1][0]:  # the quiz: passed at the second try
            for answers in (RIGHT[:1], RIGHT):
                campus.bus.handle(AttemptQuiz(me, course, module_id, lesson_id, answers))
            history.facts.update(["quiz_attempt", "quiz_attempt", "progress"])
            continue
        seconds = rng.randint(60, 900)
        campus.bus.handle(UpdateProgress(me, enrollment.id, module_id, lesson_id, 1.0, seconds))
        history.facts["progress"] += 1
        history.money["studied"] += seconds
    if campus.apps["learning"].get_enrollment(enrollment.id).is_completed:
        campus.bus.handle(GenerateCertificate(me, learner, course))
        history.facts.update(["completion", "certificate"])
    if rng.random() < 0.7:
        campus.bus.handle(RateCourse(me, course, rng.randint(1, 5)))
        history.facts["rating"] += 1
    return paid.id
