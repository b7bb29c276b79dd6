"""Responses of the media endpoints (spec "Media Repository")."""

from __future__ import annotations

from schemas.base import CamelModel, Moment


class MediaFile(CamelModel):
    media_id: str
    course_id: str
    index: int
    media_type: str
    content_type: str
    filename: str
    size: int
    url: str


class MediaUploadedResponse(MediaFile):
    message: str = "Media uploaded"


class MediaView(MediaFile):
    uploaded_by: str
    uploaded_at: Moment


class MediaPage(CamelModel):
    course_id: str
    media: list[MediaView]
    next_from_index: int | None


def media_url(media_id: object) -> str:
    return f"/api/media/{media_id}"
