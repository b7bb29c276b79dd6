"""Helpers for media tests: uploads and downloads over HTTP, as a client would send them."""

from __future__ import annotations

import os
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from tests.api import bearer, data

VIDEO = os.urandom(200_000)


def upload(
    client: TestClient,
    token: str | None,
    course_id: str,
    content: bytes = VIDEO,
    content_type: str = "video/mp4",
    filename: str = "lecture.mp4",
) -> Response:
    return client.post(
        f"/api/courses/{course_id}/media",
        headers=bearer(token) if token else {},
        files={"file": (filename, content, content_type)},
    )


def uploaded(client: TestClient, token: str, course_id: str, **fields: Any) -> dict[str, Any]:
    """Upload; answer the new media with the write's consistency token under ``written``."""
    response = upload(client, token, course_id, **fields)
    assert response.status_code == 201, response.text
    return data(response) | {"written": response.headers["X-Consistency-Token"]}


def listing(
    client: TestClient, token: str, course_id: str, query: str = "", written: str | None = None
) -> Response:
    return client.get(f"/api/courses/{course_id}/media?{query}", headers=bearer(token, written))


def download(
    client: TestClient, token: str, media: dict[str, Any], byte_range: str | None = None
) -> Response:
    headers = bearer(token, media.get("written")) | ({"Range": byte_range} if byte_range else {})
    return client.get(media["url"], headers=headers)
