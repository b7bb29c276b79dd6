"""Queries on the media read model: a course's media from an index on, and one file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from projections.media import course_media
from schemas.media import MediaPage, MediaView, media_url

# Rows as mappings: a row tuple's ``index`` is tuple.index, not the column.
Row = Mapping[str, Any]


def media_page(conn: Connection, course_id: str, from_index: int, limit: int) -> MediaPage:
    """Up to ``limit`` media from ``from_index`` (inclusive), in index order."""
    rows = (
        conn.execute(
            select(course_media)
            .where(course_media.c.course_id == course_id, course_media.c.index >= from_index)
            .order_by(course_media.c.index)
            .limit(limit + 1)  # one more tells whether a next page exists
        )
        .mappings()
        .all()
    )
    following = rows[limit]["index"] if len(rows) > limit else None
    return MediaPage(
        course_id=course_id, media=[view(r) for r in rows[:limit]], next_from_index=following
    )


def media_row(conn: Connection, media_id: str) -> Row | None:
    query = select(course_media).where(course_media.c.media_id == media_id)
    return conn.execute(query).mappings().first()


def view(row: Row) -> MediaView:
    return MediaView(
        url=media_url(row["media_id"]),
        **{
            name: row[name]
            for name in (
                "media_id",
                "course_id",
                "index",
                "media_type",
                "content_type",
                "filename",
                "size",
                "uploaded_by",
                "uploaded_at",
            )
        },
    )
