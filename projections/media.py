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
from schemas.published.catalog import MediaLibraryMediaAdded

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
    data = MediaLibraryMediaAdded.of(event)
    return {
        "media_id": data.media_id,
        "course_id": data.course_id,
        "index": data.index,
        "media_type": data.media_type,
        "content_type": data.content_type,
        "filename": data.filename,
        "size": data.size,
        "storage_key": data.storage_key,
        "uploaded_by": data.uploaded_by,
        "uploaded_at": event.timestamp,
    }


class MediaProjection:
    name = "media"
    tables = (course_media,)

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        rows = TableBatch(course_media, key="media_id")
        for event in events:
            if event.event_type == MediaLibraryMediaAdded.NAME:
                rows.insert(media_added(event))
        rows.flush(conn)
