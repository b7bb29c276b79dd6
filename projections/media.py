"""The media read model: one row per uploaded file, listed by course in index order.

The B-tree index on (course_id, index) serves the listing: a range scan from ``fromIndex``
within one course, already in order (spec: O(log n) retrieval by index).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import BigInteger, Column, Connection, DateTime, Index, Integer, String, Table

from projections.batch import TableBatch
from projections.metadata import metadata
from schemas.events import PublishedEvent

course_media = Table(
    "course_media",
    metadata,
    Column("media_id", String(36), primary_key=True),
    Column("course_id", String(36), nullable=False),
    Column("index", Integer, nullable=False),
    Column("media_type", String(16), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("storage_key", String(300), nullable=False),
    Column("uploaded_by", String(36), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    # Unique as well: the library hands out each index of a course once.
    Index("ix_course_media_course_index", "course_id", "index", unique=True),
)


def media_added(event: PublishedEvent) -> dict[str, object]:
    data = event.payload
    return {
        "media_id": data["mediaId"],
        "course_id": data["courseId"],
        "index": data["index"],
        "media_type": data["mediaType"],
        "content_type": data["contentType"],
        "filename": data["filename"],
        "size": data["size"],
        "storage_key": data["storageKey"],
        "uploaded_by": data["uploadedBy"],
        "uploaded_at": event.timestamp,
    }


class MediaProjection:
    name = "media"
    tables = (course_media,)

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        rows = TableBatch(course_media, key="media_id")
        for event in events:
            if event.event_type == "MediaLibrary.MediaAdded":
                rows.insert(media_added(event))
        rows.flush(conn)
