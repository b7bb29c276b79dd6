"""Base model for the public contract: camelCase on the wire, snake_case in Python, and
moments in UTC ISO 8601 with a ``Z``."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer
from pydantic.alias_generators import to_camel


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


def iso_utc(moment: datetime) -> str:
    """A moment as the API writes it; a naive one is UTC (SQLite drops the zone it stored)."""
    aware = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.isoformat(timespec="milliseconds").replace("+00:00", "Z")


# A moment in an answer: written as every other moment of the API (``2026-12-06T19:55:40.123Z``).
Moment = Annotated[datetime, PlainSerializer(iso_utc, return_type=str, when_used="json")]
