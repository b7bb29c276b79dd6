"""Demo data for a newcomer: an admin, an instructor, a student, a few published courses, a
coupon (DEMO10) and, when no promo API is configured, a promo code (PROMO2025) in the local file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from commands.coupons.manage_coupon import CreateCoupon
from commands.courses.author_course import CreateCourse, LessonDraft, ModuleDraft
from commands.users.register_user import RegisterUser
from domain.actor import Actor
from domain.commerce.pricing import Discount
from domain.users.roles import Role
from ops.bootstrap import Campus

PASSWORD = "campus-demo-123"
COUPON, PROMO, PROMO_FILE = "DEMO10", "PROMO2025", "promo-codes.json"
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
    admin = Actor(ids["demo.admin@example.com"], Role.ADMIN.value)
    now = datetime.now(UTC)
    campus.bus.handle(
        CreateCoupon(admin, COUPON, Discount.percentage(10), now, now + timedelta(days=365))
    )
    lines = [f"{email} / {PASSWORD} ({role.value})" for email, _, role in PEOPLE]
    lines.append(f"coupon {COUPON}: 10 % off any course")
    if not campus.settings.promo_api_url:
        write_promo_file(campus.settings.promo_codes_file or campus.settings.data_dir / PROMO_FILE)
        lines.append(f"promo {PROMO}: 15 % off any course")
    return lines


def write_promo_file(path: Path) -> None:
    """Add the demo promo to the local promo file, keeping the codes already there."""
    document = json.loads(path.read_text()) if path.exists() else {"promoCodes": []}
    codes = [c for c in document["promoCodes"] if c["code"].upper() != PROMO]
    document["promoCodes"] = [*codes, {"code": PROMO, "discountPercentage": 15}]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2))


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
