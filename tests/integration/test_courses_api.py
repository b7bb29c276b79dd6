"""Authoring a course over HTTP and reading it back (spec §2), on both backends."""

from __future__ import annotations

from urllib.parse import quote
from uuid import UUID

from infra.eventstore import audit
from tests.api import bearer, data, error, token_for
from tests.courses import catalog, create_course, structure


def test_an_instructor_builds_reorders_and_publishes_a_course_students_then_read_in_order(backend):
    client, teacher, student = (
        backend.client,
        token_for(backend, "instructor"),
        token_for(backend, "student"),
    )
    course_id, _ = create_course(client, teacher)
    written = client.post(
        f"/api/courses/{course_id}/modules",
        headers=bearer(teacher),
        json={
            "title": "Intro",
            "status": "published",
            "order": 1,
            "lessons": [
                {"title": "Hello", "type": "ARTICLE", "content": "Hi", "status": "published"}
            ],
        },
    )
    full = data(structure(client, teacher, course_id, written.headers["X-Consistency-Token"]))
    assert [m["title"] for m in full["modules"]] == ["Intro", "Basics", "Going further"]

    intro, basics, further = (m["id"] for m in full["modules"])
    client.post(
        f"/api/courses/{course_id}/modules/reorder",
        headers=bearer(teacher),
        json={"moduleIds": [basics, intro, further]},
    )
    quiz = full["modules"][1]["lessons"][2]["id"]
    moved = client.put(
        f"/api/courses/{course_id}/modules/{basics}/lessons/{quiz}",
        headers=bearer(teacher),
        json={"moduleId": intro, "order": 1, "status": "published"},
    )
    assert data(moved)
    published = client.post(f"/api/courses/{course_id}/publish", headers=bearer(teacher))
    seen = data(structure(client, student, course_id, published.headers["X-Consistency-Token"]))

    assert [(m["title"], m["order"]) for m in seen["modules"]] == [("Basics", 1), ("Intro", 2)]
    assert [(x["title"], x["order"]) for x in seen["modules"][0]["lessons"]] == [
        ("Welcome", 1),
        ("Slides", 2),
    ]
    assert [x["title"] for x in seen["modules"][1]["lessons"]] == ["Check yourself", "Hello"]


def test_a_course_without_published_content_cannot_be_published(backend):
    teacher = token_for(backend, "instructor")
    course_id, _ = create_course(
        backend.client, teacher, modules=[{"title": "Empty", "status": "published"}]
    )
    refused = backend.client.post(f"/api/courses/{course_id}/publish", headers=bearer(teacher))
    assert "published lesson" in error(refused, 409)["message"]


def test_the_last_published_lesson_of_a_published_course_cannot_be_removed(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, written = create_course(
        client,
        teacher,
        status="published",
        modules=[
            {
                "title": "Only",
                "status": "published",
                "lessons": [
                    {"title": "One", "type": "ARTICLE", "content": "x", "status": "published"}
                ],
            }
        ],
    )
    shape = data(structure(client, teacher, course_id, written))["modules"][0]
    refused = client.delete(
        f"/api/courses/{course_id}/modules/{shape['id']}/lessons/{shape['lessons'][0]['id']}",
        headers=bearer(teacher),
    )
    error(refused, 409)


def test_an_archived_course_takes_no_changes_and_leaves_the_catalog(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher, status="published")
    archived = client.delete(f"/api/courses/{course_id}", headers=bearer(teacher))
    assert data(archived)["courseId"] == course_id
    error(
        client.put(f"/api/courses/{course_id}", headers=bearer(teacher), json={"title": "New"}), 409
    )
    listed = catalog(client, "", archived.headers["X-Consistency-Token"])
    assert course_id not in [c["courseId"] for c in listed["courses"]]


def test_drafts_are_invisible_to_students_and_anonymous_callers(backend):
    client, teacher, student = (
        backend.client,
        token_for(backend, "instructor"),
        token_for(backend, "student"),
    )
    course_id, written = create_course(client, teacher)
    assert course_id not in [c["courseId"] for c in catalog(client, "", written)["courses"]]
    error(structure(client, student, course_id), 404)
    error(client.get(f"/api/courses/{course_id}/structure"), 401)
    error(client.get("/api/courses/catalog/list?status=draft"), 403)
    error(client.get("/api/courses/catalog/list?status=draft", headers=bearer(student)), 403)
    own = data(
        client.get(
            f"/api/courses/catalog/list?status=draft&instructorId={owner_of(backend, teacher)}",
            headers=bearer(teacher),
        )
    )
    assert [c["courseId"] for c in own["courses"]] == [course_id]


def test_students_see_only_published_modules_and_lessons_of_a_published_course(backend):
    client, teacher, student = (
        backend.client,
        token_for(backend, "instructor"),
        token_for(backend, "student"),
    )
    course_id, written = create_course(client, teacher, status="published")
    seen = data(structure(client, student, course_id, written))
    assert [m["title"] for m in seen["modules"]] == ["Basics"]
    assert [x["title"] for x in seen["modules"][0]["lessons"]] == ["Welcome", "Slides"]
    everything = data(structure(client, teacher, course_id))
    assert len(everything["modules"]) == 2 and len(everything["modules"][0]["lessons"]) == 3


def test_the_catalog_filters_by_category_difficulty_duration_and_text(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    tag = owner_of(backend, teacher)[:8]  # this test's own category, whatever else is listed
    wanted, written = create_course(
        client,
        teacher,
        status="published",
        category=f"Data {tag}",
        difficulty="Advanced",
        duration=90,
        title=f"Pandas {tag}",
    )
    for title, difficulty, duration in (("Long", "Advanced", 600), ("Easy", "Beginner", 60)):
        _, written = create_course(
            client,
            teacher,
            status="published",
            category=f"Data {tag}",
            difficulty=difficulty,
            duration=duration,
            title=f"{title} {tag}",
        )
    found = catalog(client, f"category=data%20{tag}&difficulty=Advanced&duration=120", written)
    assert [c["courseId"] for c in found["courses"]] == [wanted]
    summary = found["courses"][0]
    assert (
        summary | {"price": 49.99, "currency": "NGN", "moduleCount": 1, "instructor": "Instructor"}
        == summary
    )
    assert [c["title"] for c in catalog(client, f"q=pandas%20{tag}")["courses"]] == [
        f"Pandas {tag}"
    ]


def test_a_search_of_percent_or_underscore_is_no_wildcard_and_matches_no_course(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    tag = owner_of(backend, teacher)[:8]
    for title in (f"100% Python {tag}", f"snake_case {tag}", f"Plain {tag}"):
        _, written = create_course(client, teacher, status="published", title=title)
    for text in ("%", "_", "%_%"):
        assert catalog(client, f"q={quote(text)}&pageSize=100", written)["courses"] == [], text


def test_a_search_finds_words_by_their_stem_and_the_last_by_its_start_best_match_first(
    backend,
):
    client, teacher = backend.client, token_for(backend, "instructor")
    tag = owner_of(backend, teacher)[:8]
    courses = {
        "title": f"Learning Python {tag}",
        "description": f"Cooking {tag}",
        "neither": f"Gardening {tag}",
    }
    for kind, title in courses.items():
        description = "Learn to write Python programs" if kind == "description" else "Soil."
        _, written = create_course(
            client, teacher, status="published", title=title, description=description
        )

    def found(typed: str) -> list[str]:
        page = catalog(client, f"q={tag}%20{quote(typed)}&pageSize=100", written)["courses"]
        return [c["title"] for c in page]

    # "learns" and "learning" share the stem "learn"; "pyth" starts "Python".
    assert found("learns pyth") == [courses["title"], courses["description"]]
    assert found("python learning") == [courses["title"], courses["description"]]
    assert found("gardening") == [courses["neither"]]
    assert found("astronomy") == []


def test_the_catalog_pages_and_sorts(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    owner = owner_of(backend, teacher)
    for price in ("30", "10", "20"):
        _, written = create_course(
            client, teacher, status="published", price=price, title=f"Priced {price}"
        )
    first = catalog(client, f"instructorId={owner}&sort=price&page=1&pageSize=2", written)
    second = catalog(client, f"instructorId={owner}&sort=price&page=2&pageSize=2")
    assert first["total"] == 3
    assert [c["price"] for c in first["courses"] + second["courses"]] == [10.0, 20.0, 30.0]


def test_a_cached_catalog_page_is_invalidated_by_the_next_change(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    owner = owner_of(backend, teacher)
    _, written = create_course(client, teacher, status="published", title="First")
    assert catalog(client, f"instructorId={owner}", written)["total"] == 1
    assert catalog(client, f"instructorId={owner}")["total"] == 1  # now cached
    _, written = create_course(client, teacher, status="published", title="Second")
    catalog(client, f"instructorId={owner}", written)  # waits for the projection
    assert catalog(client, f"instructorId={owner}")["total"] == 2


def test_bad_catalog_and_course_input_is_a_400(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    error(client.get("/api/courses/catalog/list?difficulty=Expert"), 400)
    error(client.get("/api/courses/catalog/list?pageSize=0"), 400)
    error(
        client.post("/api/admin/courses", headers=bearer(teacher), json={"title": "No category"}),
        400,
    )
    error(
        client.post(
            "/api/admin/courses",
            headers=bearer(teacher),
            json={"title": "T", "category": "C", "difficulty": "Beginner", "price": "1.999"},
        ),
        400,
    )
    course_id, _ = create_course(client, teacher)
    error(
        client.post(
            f"/api/courses/{course_id}/modules/reorder",
            headers=bearer(teacher),
            json={"moduleIds": ["not-a-module"]},
        ),
        400,
    )


def test_every_change_is_in_the_course_history(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    client.put(f"/api/courses/{course_id}", headers=bearer(teacher), json={"title": "Renamed"})
    entries = audit.history(backend.campus.apps["catalog"], UUID(course_id))
    kinds = [e.event_type for e in entries]
    assert kinds[0] == "Course.Created" and kinds[-1] == "Course.DetailsUpdated"
    assert kinds.count("Course.LessonAdded") == 4
    assert entries[-1].actor_id == owner_of(backend, teacher)


def owner_of(backend, token: str) -> str:
    return str(backend.campus.tokens.read_access(token).user_id)
