"""Uploading to the media repository over HTTP (spec "Media Repository"), on both backends:
who may upload what, the per-course index, the listing, and the library's history."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from uuid import UUID

from sqlalchemy import select

from domain.courses.media_library import MediaLibrary
from infra.eventstore import audit
from projections.media import course_media
from projections.rebuild import rebuild
from tests.api import bearer, data, error, token_for
from tests.courses import create_course
from tests.media import VIDEO, listing, upload, uploaded


def test_an_uploaded_file_is_answered_with_its_index_type_size_and_url(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    media = uploaded(
        client, teacher, course_id, content=b"%PDF-1.7", content_type="application/pdf"
    )
    assert media == media | {
        "courseId": course_id,
        "index": 1,
        "mediaType": "document",
        "contentType": "application/pdf",
        "filename": "lecture.mp4",
        "size": 8,
        "url": f"/api/media/{media['mediaId']}",
    }


def test_media_are_listed_in_index_order_from_the_index_asked_for(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    names = ["one.mp4", "two.png", "three.txt"]
    kinds = ["video/mp4", "image/png", "text/plain"]
    for name, kind in zip(names, kinds, strict=True):
        last = uploaded(client, teacher, course_id, filename=name, content_type=kind)
    page = data(listing(client, teacher, course_id, "fromIndex=2", last["written"]))
    assert [(m["index"], m["filename"]) for m in page["media"]] == [
        (2, "two.png"),
        (3, "three.txt"),
    ]
    assert [m["mediaType"] for m in page["media"]] == ["image", "document"]
    assert page["nextFromIndex"] is None


def test_the_media_list_pages_by_index(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    for _ in range(3):
        last = uploaded(client, teacher, course_id, content=b"x")
    first = data(listing(client, teacher, course_id, "limit=2", last["written"]))
    assert [m["index"] for m in first["media"]] == [1, 2] and first["nextFromIndex"] == 3
    rest = data(listing(client, teacher, course_id, f"fromIndex={first['nextFromIndex']}&limit=2"))
    assert [m["index"] for m in rest["media"]] == [3] and rest["nextFromIndex"] is None
    error(listing(client, teacher, course_id, "limit=101"), 400)


def test_students_and_other_instructors_may_not_upload_to_a_course(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher, status="published")
    error(upload(client, token_for(backend, "student"), course_id), 403)
    error(upload(client, token_for(backend, "instructor"), course_id), 403)


def test_an_admin_may_upload_to_any_course(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    assert uploaded(client, token_for(backend, "admin"), course_id)["index"] == 1


def test_an_anonymous_upload_is_unauthorized(backend):
    course_id, _ = create_course(backend.client, token_for(backend, "instructor"))
    error(upload(backend.client, None, course_id), 401)


def test_a_content_type_outside_the_allow_list_is_refused(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    refused = upload(client, teacher, course_id, b"<script>", "text/html", "page.html")
    assert "Unsupported media type" in error(refused, 400)["message"]


def test_an_upload_past_the_size_limit_is_refused_and_leaves_no_media(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    backend.campus.blobs.max_bytes = len(VIDEO) - 1  # the limit the store was configured with
    assert "limit" in error(upload(client, teacher, course_id), 413)["message"]
    backend.campus.blobs.max_bytes = len(VIDEO)
    accepted = uploaded(client, teacher, course_id)
    assert accepted["index"] == 1  # the refused upload took no index
    media = data(listing(client, teacher, course_id, "", accepted["written"]))["media"]
    assert [m["mediaId"] for m in media] == [accepted["mediaId"]]


def test_an_upload_to_an_archived_course_is_a_conflict(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    client.delete(f"/api/courses/{course_id}", headers=bearer(teacher))
    error(upload(client, teacher, course_id), 409)


def test_a_body_without_a_file_field_is_a_bad_request(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    url = f"/api/courses/{course_id}/media"
    error(client.post(url, headers=bearer(teacher), data={"file": "not a file"}), 400)
    error(client.post(url, headers=bearer(teacher), json={"file": "x"}), 400)


def test_concurrent_uploads_get_distinct_dense_indexes(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    start = Barrier(8)

    def contend(n: int) -> int:
        start.wait()
        return data(upload(client, teacher, course_id, content=bytes([n]) * 100))["index"]

    with ThreadPoolExecutor(8) as pool:
        indexes = list(pool.map(contend, range(8)))
    assert sorted(indexes) == list(range(1, 9))


def test_the_media_library_history_shows_each_upload_and_who_made_it(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    first, second = (uploaded(client, teacher, course_id) for _ in range(2))
    library_id = MediaLibrary.create_id(UUID(course_id))
    entries = audit.history(backend.campus.apps["catalog"], library_id)
    kinds = [e.event_type for e in entries]
    assert kinds == ["MediaLibrary.Created", "MediaLibrary.MediaAdded", "MediaLibrary.MediaAdded"]
    assert [e.data["media_id"] for e in entries[1:]] == [first["mediaId"], second["mediaId"]]
    teacher_id = str(backend.campus.tokens.read_access(teacher).user_id)
    assert {e.actor_id for e in entries} == {teacher_id}


def test_a_rebuilt_media_read_model_equals_the_live_one(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    for _ in range(3):
        last = uploaded(client, teacher, course_id)
    assert len(data(listing(client, teacher, course_id, "", last["written"]))["media"]) == 3
    live = rows(backend)
    rebuild(backend.campus.runner("media"), list(backend.campus.apps.values()))
    assert rows(backend) == live


def rows(running) -> list[tuple]:
    with running.campus.read_engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(course_media)))
