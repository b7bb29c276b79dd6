"""Downloading media over HTTP: whole files, byte ranges for seeking, and who may see them;
on both backends, and once in production shape with the files in a real S3-compatible server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api import data, error, token_for
from tests.blobs import new_bucket, s3_server
from tests.conftest import services_campus
from tests.courses import create_course
from tests.media import VIDEO, download, listing, uploaded


def test_a_download_streams_the_whole_file_with_its_content_type(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    answer = download(client, teacher, uploaded(client, teacher, course_id))
    assert answer.status_code == 200 and answer.content == VIDEO
    assert answer.headers["content-type"] == "video/mp4"
    assert answer.headers["accept-ranges"] == "bytes"
    assert answer.headers["content-length"] == str(len(VIDEO))


def test_a_range_download_answers_exactly_those_bytes_with_206(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    answer = download(client, teacher, uploaded(client, teacher, course_id), "bytes=1000-1999")
    assert answer.status_code == 206 and answer.content == VIDEO[1000:2000]
    assert answer.headers["content-range"] == f"bytes 1000-1999/{len(VIDEO)}"


def test_open_ended_and_suffix_ranges_run_to_the_end_of_the_file(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    media = uploaded(client, teacher, course_id)
    tail = download(client, teacher, media, "bytes=500-")
    assert (tail.status_code, tail.content) == (206, VIDEO[500:])
    suffix = download(client, teacher, media, "bytes=-500")
    assert (suffix.status_code, suffix.content) == (206, VIDEO[-500:])
    assert (
        suffix.headers["content-range"] == f"bytes {len(VIDEO) - 500}-{len(VIDEO) - 1}/{len(VIDEO)}"
    )


def test_a_range_past_the_end_of_the_file_is_not_satisfiable(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    refused = download(
        client, teacher, uploaded(client, teacher, course_id), f"bytes={len(VIDEO)}-"
    )
    error(refused, 416)
    assert refused.headers["content-range"] == f"bytes */{len(VIDEO)}"


def test_media_of_a_draft_course_are_not_found_for_students(backend):
    client, teacher, student = (
        backend.client,
        token_for(backend, "instructor"),
        token_for(backend, "student"),
    )
    course_id, _ = create_course(client, teacher)
    media = uploaded(client, teacher, course_id)
    error(listing(client, student, course_id, "", media["written"]), 404)
    error(download(client, student, media), 404)


def test_media_of_a_draft_course_are_visible_to_its_instructor(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher)
    media = uploaded(client, teacher, course_id)
    assert len(data(listing(client, teacher, course_id, "", media["written"]))["media"]) == 1
    assert download(client, teacher, media).content == VIDEO


def test_media_of_a_published_course_are_visible_to_any_signed_in_user(backend):
    client, teacher = backend.client, token_for(backend, "instructor")
    course_id, _ = create_course(client, teacher, status="published")
    media = uploaded(client, teacher, course_id)
    student = token_for(backend, "student")
    assert download(client, student, media, "bytes=0-9").content == VIDEO[:10]
    error(client.get(media["url"]), 401)


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as endpoint:
        yield endpoint


def test_in_production_shape_media_live_in_s3_and_stream_back_by_range(tmp_path, s3_endpoint):
    from infra.blobs.s3 import S3BlobStore  # boto3: imported by the tests that use S3

    with services_campus(tmp_path, **new_bucket(s3_endpoint)) as running:
        client, teacher = running.client, token_for(running, "instructor")
        course_id, _ = create_course(client, teacher)
        media = uploaded(client, teacher, course_id)
        answer = download(client, teacher, media, "bytes=100-199")
        assert (answer.status_code, answer.content) == (206, VIDEO[100:200])
        assert isinstance(running.campus.blobs, S3BlobStore)
