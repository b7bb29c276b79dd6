"""Requests and answers of enrollment, progress, certificate, rating and preference endpoints
(spec §5, §7, §8, §11)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID
from zoneinfo import available_timezones

from pydantic import AfterValidator, Field, StringConstraints

from schemas.base import CamelModel

PartId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
ZONES = frozenset(available_timezones())


def known_zone(zone: str) -> str:
    if zone not in ZONES:
        raise ValueError("not a time zone of the IANA database, e.g. 'Africa/Lagos'")
    return zone


class EnrollRequest(CamelModel):
    course_id: UUID
    user_id: UUID | None = None  # the caller, unless an admin enrolls someone
    payment_id: UUID | None = None  # default: the learner's successful payment for the course


class EnrolledResponse(CamelModel):
    enrollment_id: str
    message: str


class ProgressUpdateRequest(CamelModel):
    enrollment_id: UUID
    module_id: PartId
    lesson_id: PartId
    progress: Annotated[float, Field(ge=0, le=1)]
    time_spent: Annotated[int, Field(ge=0, le=24 * 3600)] = 0  # seconds in this session
    # Where playback stopped: no lesson, recorded live sessions included, runs a week.
    position_seconds: Annotated[int, Field(ge=0, le=7 * 24 * 3600)] | None = None
    # Where the session happened; kept with the session (the audit and published events show it).
    device: Literal["web", "ios", "android", "other", "unknown"] = "unknown"


class ProgressRecordedResponse(CamelModel):
    progress_id: str
    enrollment_id: str
    course_progress: float
    status: str
    message: str


class CertificateRequest(CamelModel):
    course_id: UUID
    user_id: UUID | None = None


class CertificateRevokeRequest(CamelModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class CertificateResponse(CamelModel):
    certificate_id: str
    unique_id: str
    certificate_url: str
    verification_url: str
    status: str
    message: str


class RatingRequest(CamelModel):
    rating: Annotated[int, Field(ge=1, le=5)]


class PreferencesUpdateRequest(CamelModel):
    notification_channels: list[str] | None = Field(default=None, max_length=3)
    language: Annotated[str, StringConstraints(max_length=12)] | None = None
    timezone: Annotated[str, AfterValidator(known_zone)] | None = None


class PreferencesResponse(CamelModel):
    notification_channels: list[str]
    language: str
    timezone: str
    message: str | None = None
