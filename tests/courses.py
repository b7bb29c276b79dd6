"""Helpers for course tests: a course built over HTTP the way an instructor would."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api import bearer, data

LESSONS = [
    {
        "title": "Welcome",
        "type": "VIDEO",
        "url": "https://cdn.example.com/welcome.mp4",
        "status": "published",
    },
    {
        "title": "Slides",
        "type": "PDF",
        "url": "https://cdn.example.com/slides.pdf",
        "status": "published",
    },
    {"title": "Check yourself", "type": "QUIZ", "content": "Q1?", "status": "draft"},
]


def course_body(**fields: Any) -> dict[str, Any]:
    return {
        "title": "Introduction to Python",
        "description": "Learn Python basics",
        "category": "Programming",
        "difficulty": "Beginner",
        "duration": 120,
        "price": "49.99",
        "modules": [
            {"title": "Basics", "status": "published", "lessons": LESSONS},
            {
                "title": "Going further",
                "lessons": [
                    {
                        "title": "Sandbox",
                        "type": "CODE_SANDBOX",
                        "url": "https://sandbox.example.com",
                    }
                ],
            },
        ],
    } | fields


def create_course(client: TestClient, token: str, **fields: Any) -> tuple[str, str]:
    """Create a course; answer its id and the write's consistency token."""
    created = client.post("/api/admin/courses", json=course_body(**fields), headers=bearer(token))
    assert created.status_code == 201, created.text
    return data(created)["courseId"], created.headers["X-Consistency-Token"]


def structure(client: TestClient, token: str, course_id: str, written: str | None = None) -> Any:
    return client.get(f"/api/courses/{course_id}/structure", headers=bearer(token, written))


def catalog(client: TestClient, query: str = "", written: str | None = None) -> Any:
    headers = {"X-Consistency-Token": written} if written else {}
    return data(client.get(f"/api/courses/catalog/list?{query}", headers=headers))
