"""The MediaLibrary aggregate: a course's uploaded files, numbered 1, 2, 3… in upload order.

There is one library per course and its id is derived from the course id, so concurrent
uploads all write to the same aggregate: the event store's unique (id, version) key lets
exactly one of them record each index, and the others reload and take the next one. The
library keeps only what that rule needs; the files' details live in the events.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.courses.media_files import (
    EmptyMediaError,
    Image,
    MediaType,
    NotAnImageError,
    clean_filename,
    media_type_of,
    normalize_content_type,
)


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
