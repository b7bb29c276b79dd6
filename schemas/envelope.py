"""The response envelope every JSON answer is wrapped in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel

from schemas.base import iso_utc

T = TypeVar("T")


class ErrorBody(BaseModel):
    errorCode: int
    message: str
    details: Any | None = None


class Envelope(BaseModel, Generic[T]):
    status: Literal["success", "error"]
    data: T | None = None
    error: ErrorBody | None = None
    timestamp: str


class ErrorEnvelope(BaseModel):
    """Every failure's body: ``data`` null, ``error`` saying what went wrong."""

    status: Literal["error"]
    data: None = None
    error: ErrorBody
    timestamp: str


def now_iso() -> str:
    return iso_utc(datetime.now(UTC))
