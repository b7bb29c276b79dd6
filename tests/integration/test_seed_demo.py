"""The demo data gives a newcomer users to sign in as and published courses to browse."""

from __future__ import annotations

import pytest

from domain.errors import ConflictError
from ops.seed_demo import PASSWORD, seed
from tests.api import bearer, data, login
from tests.courses import catalog, structure


def everything_written(campus) -> str:
    """A consistency token covering every event stored so far."""
    return ",".join(
        f"{name}:{app.recorder.max_notification_id() or 0}" for name, app in campus.apps.items()
    )


def test_seeded_users_sign_in_and_find_the_published_courses(embedded):
    assert len(seed(embedded.campus)) == 5  # three people, a coupon, a promo
    student = data(login(embedded.client, "demo.student@example.com", PASSWORD))["token"]
    found = catalog(embedded.client, "sort=title", everything_written(embedded.campus))
    assert [c["title"] for c in found["courses"]] == [
        "Data Analysis with Pandas",
        "Event Sourcing in Practice",
        "Introduction to Python",
    ]
    python = data(structure(embedded.client, student, found["courses"][2]["courseId"]))
    assert [m["title"] for m in python["modules"]] == ["Getting started", "Basics"]


def test_seeding_twice_is_refused_rather_than_duplicating(embedded):
    seed(embedded.campus)
    with pytest.raises(ConflictError):
        seed(embedded.campus)


def test_the_demo_coupon_and_promo_take_their_discounts_off_a_course(embedded):
    seed(embedded.campus)
    student = data(login(embedded.client, "demo.student@example.com", PASSWORD))["token"]
    course = catalog(embedded.client, "sort=title", everything_written(embedded.campus))
    python = course["courses"][2]["courseId"]

    def check(kind: str, code: str) -> dict:
        return data(
            embedded.client.post(
                f"/api/payments/validate-{kind}",
                json={f"{kind}Code": code, "courseId": python},
                headers=bearer(student),
            )
        )

    assert check("coupon", "demo10")["discountedAmount"] == 4499.1  # 4,999 less 10 %
    assert check("promo", "PROMO2025")["discountPercentage"] == 15
