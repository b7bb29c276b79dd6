"""Media uploads through the message bus, on the in-memory event store and the local folder."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from eventsourcing.persistence import IntegrityError

from commands.courses import upload_media as uploading
from commands.courses.author_course import CreateCourse
from commands.courses.upload_media import MediaIndexContendedError, UploadMedia
from domain.actor import Actor
from domain.courses.media_files import (
    EmptyMediaError,
    MediaType,
    UnsupportedMediaTypeError,
    clean_filename,
    media_type_of,
)
from domain.courses.media_library import MediaLibrary
from ops.bootstrap import Campus, bootstrap
from tests.conftest import embedded_settings

OWNER = Actor(uuid.uuid4(), "instructor")


@pytest.fixture
def campus(tmp_path: Path) -> Campus:
    campus = bootstrap(embedded_settings(tmp_path, database_url="memory"))
    yield campus
    campus.close()


def new_course(campus: Campus) -> uuid.UUID:
    return campus.bus.handle(CreateCourse(OWNER, "Course", "", "Testing", "Beginner", 10, 0))


def upload(campus: Campus, course_id: uuid.UUID, content: bytes = b"data", kind: str = "video/mp4"):
    return campus.bus.handle(UploadMedia(OWNER, course_id, "a.mp4", kind, io.BytesIO(content)))


def stored_files(campus: Campus) -> list[Path]:
    return [p for p in (campus.settings.data_dir / "media").rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("content_type", "media_type"),
    [
        ("video/quicktime", MediaType.VIDEO),
        ("image/webp", MediaType.IMAGE),
        ("text/markdown", MediaType.DOCUMENT),
        (
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            MediaType.DOCUMENT,
        ),
        ("Video/MP4; codecs=avc1", MediaType.VIDEO),
    ],
)
def test_allowed_content_types_are_classified_whatever_their_case_or_parameters(
    content_type, media_type
):
    assert media_type_of(content_type) is media_type


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "application/zip", ""])
def test_other_content_types_are_refused(content_type):
    with pytest.raises(UnsupportedMediaTypeError):
        media_type_of(content_type)


def test_a_filename_keeps_its_last_path_segment_without_control_characters():
    assert clean_filename("C:\\Users\\ada/../notes\x00.pdf") == "notes.pdf"
    assert clean_filename("../../") == "upload"


def test_a_library_numbers_its_media_from_one():
    library = MediaLibrary(uuid.uuid4())
    indexes = [library.add(uuid.uuid4(), "image/png", "x.png", 1, "k", OWNER.user_id) for _ in "ab"]
    assert indexes == [1, 2]


def test_an_empty_file_is_refused_and_its_bytes_are_not_kept(campus):
    with pytest.raises(EmptyMediaError):
        upload(campus, new_course(campus), content=b"")
    assert stored_files(campus) == []


def test_a_refused_content_type_stores_nothing(campus):
    with pytest.raises(UnsupportedMediaTypeError):
        upload(campus, new_course(campus), kind="application/x-msdownload")
    assert stored_files(campus) == []


def test_an_upload_that_lost_the_race_for_an_index_takes_the_next_one(campus, monkeypatch):
    course_id = new_course(campus)
    upload(campus, course_id)
    catalog, loads = campus.apps["catalog"], []
    current = catalog.get_media_library

    def stale_first(course: uuid.UUID) -> MediaLibrary:
        loads.append(course)
        if len(loads) == 1:  # as a concurrent upload saw it, before the first was recorded
            return catalog.repository.get(MediaLibrary.create_id(course), version=1)
        return current(course)

    monkeypatch.setattr(catalog, "get_media_library", stale_first)
    assert upload(campus, course_id).index == 2
    assert len(loads) == 2


def test_an_upload_that_cannot_be_recorded_leaves_no_file(campus, monkeypatch):
    course_id = new_course(campus)
    monkeypatch.setattr(uploading, "RECORD_ATTEMPTS", 3)

    def always_lose(*_: object) -> None:
        raise IntegrityError("lost the race")

    monkeypatch.setattr(campus.apps["catalog"], "save", always_lose)
    with pytest.raises(MediaIndexContendedError):
        upload(campus, course_id)
    assert stored_files(campus) == []
