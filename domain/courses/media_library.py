"""The MediaLibrary aggregate: a course's uploaded files, numbered 1, 2, 3… in upload order.

There is one library per course and its id is derived from the course id, so concurrent
uploads all write to the same aggregate: the event store's unique (id, version) key lets
exactly one of them record each index, and the others reload and take the next one. The
library keeps only what that rule needs; the files' details live in the events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInputError, NotFoundError


class MediaType(StrEnum):
    VIDEO = "video"
    IMAGE = "image"
    DOCUMENT = "document"


OFFICE = "application/vnd.openxmlformats-officedocument"
CONTENT_TYPES: dict[str, MediaType] = {
    "video/mp4": MediaType.VIDEO,
    "video/webm": MediaType.VIDEO,
    "video/quicktime": MediaType.VIDEO,
    "image/png": MediaType.IMAGE,
    "image/jpeg": MediaType.IMAGE,
    "image/webp": MediaType.IMAGE,
    "image/gif": MediaType.IMAGE,
    "application/pdf": MediaType.DOCUMENT,
    "text/plain": MediaType.DOCUMENT,
    "text/markdown": MediaType.DOCUMENT,
    f"{OFFICE}.wordprocessingml.document": MediaType.DOCUMENT,
    f"{OFFICE}.presentationml.presentation": MediaType.DOCUMENT,
    f"{OFFICE}.spreadsheetml.sheet": MediaType.DOCUMENT,
}
MAX_FILENAME = 255
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


class UnsupportedMediaTypeError(InvalidInputError):
    """The file's content type is not one a course may hold (video, image or document)."""

    message = "Unsupported media type"


class EmptyMediaError(InvalidInputError):
    """An upload without a single byte is not media."""

    message = "The uploaded file is empty"


class MediaNotFoundError(NotFoundError):
    """No media has this id (or the caller may not see its course)."""

    message = "Media not found"


class NotAnImageError(InvalidInputError):
    """The media named is not an image of that course's library."""

    message = "Not an image in the media store"


@dataclass(frozen=True)
class Image:
    """An image of a course's library: where its bytes are, and how many there are."""

    course_id: str
    media_id: str
    storage_key: str
    content_type: str
    size: int


def normalize_content_type(content_type: str) -> str:
    """``Video/MP4; codecs=avc1`` -> ``video/mp4``: parameters do not change what a file is."""
    return content_type.split(";", 1)[0].strip().lower()


def media_type_of(content_type: str) -> MediaType:
    try:
        return CONTENT_TYPES[normalize_content_type(content_type)]
    except KeyError:
        allowed = ", ".join(CONTENT_TYPES)
        raise UnsupportedMediaTypeError(
            f"Unsupported media type {content_type!r}; allowed: {allowed}"
        ) from None


def clean_filename(filename: str) -> str:
    """The file's own name: clients may send a path, and names end up in response headers."""
    name = UNPRINTABLE.sub("", re.split(r"[\\/]", filename)[-1]).strip()
    return name[-MAX_FILENAME:] or "upload"


class MediaLibrary(Aggregate):
    """The media of one course, in upload order."""

    @staticmethod
    def create_id(course_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"campus:media-library:{course_id}")

    @event("Created")
    def __init__(self, course_id: UUID) -> None:
        self.course_id = course_id
        self.media_count = 0
        self.images: dict[str, Image] = {}

    def add(
        self,
        media_id: UUID,
        content_type: str,
        filename: str,
        size: int,
        storage_key: str,
        uploaded_by: UUID,
    ) -> int:
        """Record an uploaded file under the next index; answer that index."""
        media_type = media_type_of(content_type)
        if size < 1:
            raise EmptyMediaError
        self._add(
            course_id=self.course_id,
            media_id=media_id,
            index=self.media_count + 1,
            media_type=media_type.value,
            content_type=normalize_content_type(content_type),
            filename=clean_filename(filename),
            size=size,
            storage_key=storage_key,
            uploaded_by=uploaded_by,
        )
        return self.media_count

    @event("MediaAdded")
    def _add(
        self,
        course_id: UUID,
        media_id: UUID,
        index: int,
        media_type: str,
        content_type: str,
        filename: str,
        size: int,
        storage_key: str,
        uploaded_by: UUID,
    ) -> None:
        self.media_count = index
        if media_type == MediaType.IMAGE:  # what a certificate template may show
            self.images[str(media_id)] = Image(
                str(course_id), str(media_id), storage_key, content_type, size
            )

    def image(self, media_id: UUID | str) -> Image:
        try:
            return self.images[str(media_id)]
        except KeyError:
            raise NotAnImageError(f"Media {media_id} is not an image of this course") from None
