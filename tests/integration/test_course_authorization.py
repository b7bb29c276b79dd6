"""Who may do what to a course: every authoring and reading route, for every kind of caller.

The course is a draft owned by one instructor; students, another instructor and anonymous
callers may change nothing and see nothing of it; its instructor and admins may do anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api import bearer, data, token_for
from tests.conftest import Running, embedded_campus
from tests.courses import create_course, structure

CALLERS = ["anonymous", "student", "other instructor", "owner", "admin"]
# Any instructor may create a course of their own.
CREATE = {"anonymous": 401, "student": 403, "other instructor": 201, "owner": 201, "admin": 201}
WRITE = {"anonymous": 401, "student": 403, "other instructor": 403, "owner": 200, "admin": 200}
SEE_DRAFT = {"anonymous": 401, "student": 404, "other instructor": 404, "owner": 200, "admin": 200}
UPLOAD = {"file": ("notes.pdf", b"%PDF-1.4 tiny", "application/pdf")}
LIST_DRAFTS = {
    "anonymous": 403,
    "student": 403,
    "other instructor": 403,
    "owner": 200,
    "admin": 200,
}


def routes(ids: dict[str, str]) -> dict[str, tuple[str, str, Any, dict[str, int]]]:
    course = f"/api/courses/{ids['course']}"
    module = f"{course}/modules/{ids['module']}"
    lesson = f"{module}/lessons/{ids['lesson']}"
    return {
        "create": (
            "POST",
            "/api/admin/courses",
            {"title": "T", "category": "C", "difficulty": "Beginner"},
            CREATE,
        ),
        "update": ("PUT", course, {"title": "Renamed"}, WRITE),
        "archive": ("DELETE", course, None, WRITE),
        "publish": ("POST", f"{course}/publish", None, WRITE),
        "unpublish": ("POST", f"{course}/unpublish", None, WRITE),
        "add module": (
            "POST",
            f"{course}/modules",
            {"title": "New"},
            WRITE | {"owner": 201, "admin": 201},
        ),
        "update module": ("PUT", module, {"title": "Renamed"}, WRITE),
        "remove module": ("DELETE", f"{course}/modules/{ids['spare module']}", None, WRITE),
        "reorder modules": (
            "POST",
            f"{course}/modules/reorder",
            {"moduleIds": ids["module order"]},
            WRITE,
        ),
        "add lesson": (
            "POST",
            f"{module}/lessons",
            {"title": "L", "type": "ARTICLE", "content": "x"},
            WRITE | {"owner": 201, "admin": 201},
        ),
        "update lesson": ("PUT", lesson, {"title": "Renamed"}, WRITE),
        "remove lesson": ("DELETE", f"{module}/lessons/{ids['spare lesson']}", None, WRITE),
        "reorder lessons": (
            "POST",
            f"{module}/lessons/reorder",
            {"lessonIds": ids["lesson order"]},
            WRITE,
        ),
        "read structure": ("GET", f"{course}/structure", None, SEE_DRAFT),
        "upload media": ("POST", f"{course}/media", UPLOAD, WRITE | {"owner": 201, "admin": 201}),
        "list media": ("GET", f"{course}/media", None, SEE_DRAFT),
        "download media": ("GET", f"/api/media/{ids['media']}", None, SEE_DRAFT),
        "list drafts": (
            "GET",
            f"/api/courses/catalog/list?status=draft&instructorId={ids['owner']}",
            None,
            LIST_DRAFTS,
        ),
    }


ROUTES = list(
    routes(
        {
            k: "x"
            for k in (
                "course",
                "module",
                "lesson",
                "spare module",
                "spare lesson",
                "module order",
                "lesson order",
                "owner",
                "media",
            )
        }
    )
)


@pytest.fixture(scope="module")
def campus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """One Campus for the module: each test has a course of its own, and callers that change
    nothing but that course. The limiter is not what is tested here."""
    with embedded_campus(tmp_path_factory.mktemp("campus"), rate_limit_per_minute=10**6) as running:
        yield running


@pytest.fixture(scope="module")
def tokens(campus: Running) -> dict[str, str | None]:
    return {
        "anonymous": None,
        "admin": token_for(campus, "admin"),
        "owner": token_for(campus, "instructor"),
        "other instructor": token_for(campus, "instructor"),
        "student": token_for(campus, "student"),
    }


@pytest.fixture
def draft_course(campus: Running, tokens: dict[str, str | None]):
    client = campus.client
    course_id, written = create_course(client, tokens["owner"])
    modules = data(structure(client, tokens["owner"], course_id, written))["modules"]
    lessons = modules[0]["lessons"]
    ids = {
        "course": course_id,
        "module": modules[0]["id"],
        "spare module": modules[1]["id"],
        "lesson": lessons[0]["id"],
        "spare lesson": lessons[2]["id"],
        "module order": [m["id"] for m in reversed(modules)],
        "lesson order": [x["id"] for x in reversed(lessons)],
        "owner": str(campus.campus.tokens.read_access(tokens["owner"]).user_id),
        "media": upload_and_wait(client, tokens["owner"], course_id),
    }
    return client, tokens, routes(ids)


def upload_and_wait(client, token: str, course_id: str) -> str:
    uploaded = client.post(f"/api/courses/{course_id}/media", files=UPLOAD, headers=bearer(token))
    written = uploaded.headers["X-Consistency-Token"]
    data(client.get(f"/api/courses/{course_id}/media", headers=bearer(token, written)))
    return data(uploaded)["mediaId"]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES)
def test_each_caller_gets_what_their_role_allows_on_each_course_route(draft_course, route, caller):
    client, tokens, table = draft_course
    method, path, body, expected = table[route]
    headers = bearer(tokens[caller]) if tokens[caller] else {}
    payload = {"files": body} if body is UPLOAD else {"json": body}
    answer = client.request(method, path, headers=headers, **payload)
    assert answer.status_code == expected[caller], answer.text
    if answer.headers["content-type"].startswith("application/json"):  # downloads are files
        assert answer.json()["status"] == ("success" if expected[caller] < 300 else "error")
    else:
        assert answer.content == UPLOAD["file"][1]
