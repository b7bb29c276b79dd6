"""A course's media (spec "Media Repository"): the list in index order, and each file streamed
with HTTP ranges so videos can seek. Whoever may see the course may see its media."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request
from starlette.responses import StreamingResponse

from domain.courses.media_files import MediaNotFoundError
from domain.courses.structure import CourseNotFoundError
from infra.security.tokens import AccessClaims
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from infra.web.ranges import content_range, requested_range
from read_api.consistency import consistent_with
from read_api.courses import visible_course
from read_api.deps import MAX_INDEX, ReadDb
from read_api.queries.media import media_page, media_row
from schemas.media import MediaPage

router = APIRouter(tags=["media"])
Fresh = Depends(consistent_with("media"))
FILE = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}


@router.get("/api/courses/{course_id}/media", dependencies=[Fresh], responses=documented(MediaPage))
def list_media(
    course_id: UUID,
    user: CurrentUser,
    db: ReadDb,
    from_index: Annotated[int, Query(alias="fromIndex", ge=1, le=MAX_INDEX)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> EnvelopeResponse:
    """A course's media in upload order, from index ``fromIndex`` on."""
    visible_course(db, str(course_id), user)
    return success(media_page(db, str(course_id), from_index, limit))


@router.get(
    "/api/media/{media_id}",
    dependencies=[Fresh],
    response_class=StreamingResponse,
    responses=documented(errors=(416,))
    | {200: FILE, 206: {"description": "The requested byte range", **FILE}},
)
def download_media(
    media_id: UUID,
    request: Request,
    user: CurrentUser,
    range_: Annotated[str | None, Header(alias="range")] = None,
) -> StreamingResponse:
    """Stream a media file; a ``Range`` header asks for part of it (206), so videos can seek."""
    row = visible_media(request, str(media_id), user)
    size = row["size"]
    part = requested_range(range_, size)
    first, last = part or (0, size - 1)
    headers = {
        "Accept-Ranges": "bytes",
        "Content-Length": str(last - first + 1),
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(row['filename'])}",
        "X-Content-Type-Options": "nosniff",  # served as declared, never sniffed into HTML
    }
    if part:
        headers["Content-Range"] = content_range(first, last, size)
    chunks = request.app.state.blobs.open_range(row["storage_key"], first, last)
    return StreamingResponse(
        chunks, status_code=206 if part else 200, media_type=row["content_type"], headers=headers
    )


def visible_media(request: Request, media_id: str, user: AccessClaims) -> Mapping[str, Any]:
    # A connection of its own, returned before the file streams: a dependency's would be held
    # for as long as a video takes to send.
    with request.app.state.read_engine.connect() as db:
        row = media_row(db, media_id)
        if row is None:
            raise MediaNotFoundError
        try:
            visible_course(db, row["course_id"], user)
        except CourseNotFoundError:
            raise MediaNotFoundError from None
    return row
