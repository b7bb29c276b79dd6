"""Demo data for a newcomer: an admin, an instructor, a student and a few published courses."""

from __future__ import annotations

from dataclasses import dataclass

from commands.courses.author_course import CreateCourse, LessonDraft, ModuleDraft
from commands.users.register_user import RegisterUser
from domain.actor import Actor
from domain.users.user import Role
from ops.bootstrap import Campus

PASSWORD = "campus-demo-123"
PEOPLE = [
    ("demo.admin@example.com", "Ada Admin", Role.ADMIN),
    ("demo.teacher@example.com", "Tunde Teacher", Role.INSTRUCTOR),
    ("demo.student@example.com", "Sade Student", Role.STUDENT),
]


@dataclass(frozen=True)
class DemoCourse:
    title: str
    category: str
    difficulty: str
    minutes: int
    price_kobo: int
    modules: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...]


COURSES = [
    DemoCourse(
        "Introduction to Python",
        "Programming",
        "Beginner",
        120,
        4_999_00,
        (
            (
                "Getting started",
                (
                    ("Why Python", "VIDEO", "https://media.campus.test/python/why.mp4"),
                    ("Installing Python", "ARTICLE", "Download Python 3.12 and run `python3`."),
                ),
            ),
            (
                "Basics",
                (
                    ("Variables and types", "VIDEO", "https://media.campus.test/python/vars.mp4"),
                    ("Cheat sheet", "PDF", "https://media.campus.test/python/cheatsheet.pdf"),
                    ("Check yourself", "QUIZ", "What does `len('abc')` return?"),
                ),
            ),
        ),
    ),
    DemoCourse(
        "Event Sourcing in Practice",
        "Architecture",
        "Advanced",
        240,
        15_000_00,
        (
            (
                "Events as facts",
                (("Past-tense events", "ARTICLE", "An event records what happened."),),
            ),
            (
                "Projections",
                (
                    ("Read models", "VIDEO", "https://media.campus.test/es/projections.mp4"),
                    ("Build one", "CODE_SANDBOX", "https://sandbox.campus.test/projection"),
                ),
            ),
        ),
    ),
    DemoCourse(
        "Data Analysis with Pandas",
        "Data",
        "Intermediate",
        180,
        0,
        (
            (
                "DataFrames",
                (
                    ("Loading data", "VIDEO", "https://media.campus.test/pandas/load.mp4"),
                    ("Office hours", "LIVE_SESSION", "https://live.campus.test/pandas"),
                ),
            ),
        ),
    ),
]


def seed(campus: Campus) -> list[str]:
    """Create the demo users and courses; answer lines telling how to sign in."""
    ids = {
        email: campus.bus.handle(RegisterUser(email, PASSWORD, name, role=role))
        for email, name, role in PEOPLE
    }
    teacher = Actor(ids["demo.teacher@example.com"], Role.INSTRUCTOR.value)
    for course in COURSES:
        campus.bus.handle(
            CreateCourse(
                teacher,
                course.title,
                f"A demo course about {course.title.lower()}.",
                course.category,
                course.difficulty,
                course.minutes,
                course.price_kobo,
                modules=tuple(drafted(course)),
                publish=True,
            )
        )
    return [f"{email} / {PASSWORD} ({role.value})" for email, _, role in PEOPLE]


def drafted(course: DemoCourse) -> list[ModuleDraft]:
    return [
        ModuleDraft(
            title,
            "published",
            tuple(
                LessonDraft(
                    name,
                    kind,
                    material if material.startswith("https://") else None,
                    None if material.startswith("https://") else material,
                    "published",
                )
                for name, kind, material in lessons
            ),
        )
        for title, lessons in course.modules
    ]
