"""Course media uploads (spec "Media Repository"): the course's instructor or an admin adds a
video, image or document; each upload gets the course's next index."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from commands.courses.upload_media import UploadedMedia, UploadMedia
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from infra.web.uploads import FilePart
from schemas.media import MediaUploadedResponse, media_url
from write_api.courses import actor
from write_api.deps import Bus

router = APIRouter(tags=["media"])

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


@router.post(
    "/api/courses/{course_id}/media",
    status_code=201,
    responses=documented(MediaUploadedResponse, 201, errors=(413,)),
    openapi_extra=UPLOAD_BODY,
)
async def upload_media(
    course_id: UUID, request: Request, user: CurrentUser, bus: Bus
) -> EnvelopeResponse:
    """Upload a file (multipart field ``file``) to a course's media, under its next index."""
    part = await FilePart.open(request)
    command = UploadMedia(actor(user), course_id, part.filename, part.content_type, part.reader())
    # In a worker thread: the handler blocks on the event store, and on the upload's bytes,
    # which this loop keeps bringing in as the blob store reads them.
    media: UploadedMedia = await run_in_threadpool(bus.handle, command)
    return success(uploaded(media), 201)


def uploaded(media: UploadedMedia) -> MediaUploadedResponse:
    return MediaUploadedResponse(
        media_id=str(media.media_id),
        course_id=str(media.course_id),
        index=media.index,
        media_type=media.media_type,
        content_type=media.content_type,
        filename=media.filename,
        size=media.size,
        url=media_url(media.media_id),
    )
