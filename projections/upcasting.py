"""Published events of an older shape, brought to the current one before any projection sees
them.

The event store upcasts what it loads (``class_version`` and ``upcast_vN_vN+1`` on each event
class, see docs/event-store.md), so an event read from the store is always current. Kafka keeps
what an older Campus published: a record whose ``schemaVersion`` is behind its event class is
upcast here by that class's own upcasters, on its payload's fields, so one upcaster serves the
store and the topic.
"""

from __future__ import annotations

from typing import Any

from pydantic.alias_generators import to_camel, to_snake

from domain.courses.course import Course
from domain.learning.certificate import Certificate
from domain.learning.enrollment import Enrollment
from infra.eventstore.publishing import plain
from schemas.events import PublishedEvent
from schemas.published.catalog import CourseLessonAdded
from schemas.published.learning import (
    CertificateIssued,
    CertificateReissued,
    EnrollmentLessonProgressed,
)

VERSIONED: dict[str, Any] = {
    CourseLessonAdded.NAME: Course.LessonAdded,
    EnrollmentLessonProgressed.NAME: Enrollment.LessonProgressed,
    CertificateIssued.NAME: Certificate.Issued,
    CertificateReissued.NAME: Certificate.Reissued,
}
"""Every event class whose shape has changed, by published name (a test checks none is missing)."""


def current(event: PublishedEvent) -> PublishedEvent:
    """``event`` in its class's current shape: unchanged when it already is."""
    cls = VERSIONED.get(event.event_type)
    latest = getattr(cls, "class_version", 1)
    if cls is None or event.schema_version >= latest:
        return event
    state = {to_snake(key): value for key, value in event.payload.items()}
    for version in range(event.schema_version, latest):
        getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
    payload = {to_camel(key): plain(value) for key, value in state.items()}
    return event.model_copy(update={"payload": payload, "schema_version": latest})
