"""What a course's media file may be, apart from the MediaLibrary aggregate that numbers them:
the kinds and content types a course holds, a clean file name, an image as a certificate keeps
it, and the errors for a file refused or not found. Certificate designs and the read API speak
of these without reaching into the aggregate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

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
