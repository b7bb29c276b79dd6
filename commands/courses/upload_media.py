"""Upload a file to a course's media library: store the bytes, then record the fact.

The blob is stored first, under a fresh key nothing refers to yet, so a failed or refused
upload leaves no event pointing at missing bytes; if recording finally fails, the blob is
deleted. Concurrent uploads to one course race for the library's next version: the loser's
save fails on the event store's unique key, and it reloads and takes the next index.
"""

from __future__ import annotations

import contextlib
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import BinaryIO
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.applications import Catalog
from commands.courses.ports import BlobStore
from domain.actor import Actor
from domain.courses.media_files import clean_filename, media_type_of, normalize_content_type
from domain.errors import ConflictError

RECORD_ATTEMPTS = 30


class MediaIndexContendedError(ConflictError):
    """Too many uploads to one course at once: this one lost the race for an index too often."""

    message = "Too many simultaneous uploads to this course; try again"


@dataclass(frozen=True)
class UploadMedia:
    actor: Actor
    course_id: UUID
    filename: str
    content_type: str
    stream: BinaryIO = field(compare=False, repr=False)


@dataclass(frozen=True)
class UploadedMedia:
    media_id: UUID
    course_id: UUID
    index: int
    media_type: str
    content_type: str
    filename: str
    size: int


def upload_media(cmd: UploadMedia, catalog: Catalog, blobs: BlobStore) -> UploadedMedia:
    course = catalog.get_course(cmd.course_id)
    cmd.actor.ensure_owns(course.instructor_id)
    course.ensure_open()
    media_type = media_type_of(cmd.content_type)  # refused before a byte is received
    content_type, media_id = normalize_content_type(cmd.content_type), uuid.uuid4()
    key = f"courses/{cmd.course_id}/{media_id}"
    size = blobs.put(key, cmd.stream, content_type)
    try:
        index = record(catalog, cmd, media_id, key, size)
    except BaseException:
        # The caller must see why recording failed; a blob left behind is only wasted space.
        with contextlib.suppress(Exception):
            blobs.delete(key)
        raise
    filename = clean_filename(cmd.filename)
    return UploadedMedia(
        media_id, cmd.course_id, index, media_type.value, content_type, filename, size
    )


def record(catalog: Catalog, cmd: UploadMedia, media_id: UUID, key: str, size: int) -> int:
    """Add the media under the library's next index, retrying when another upload won it."""
    for attempt in range(RECORD_ATTEMPTS):
        library = catalog.get_media_library(cmd.course_id)
        index = library.add(media_id, cmd.content_type, cmd.filename, size, key, cmd.actor.user_id)
        try:
            catalog.save(library)
        except IntegrityError:
            # Jittered, so the losers of one round do not collide again in the next.
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
            continue
        return index
    raise MediaIndexContendedError
