"""Events an older Campus published stay on Kafka in their old JSON; the projectors read them
through the real consumer in the current shape, upcast by the domain's own upcasters."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import pytest

from infra.kafka import KafkaEventPublisher, create_consumer
from infra.settings import Settings
from ops.workers.kafka_projector import parsed
from projections.structure_document import STRUCTURE_HANDLERS
from schemas.events import PublishedEvent
from tests.services import KAFKA_SERVERS, private_topic

MODULE = "module-1"
LESSON = {
    "moduleId": MODULE,
    "lessonId": "lesson-1",
    "title": "Published before lessons had a duration",
    "type": "ARTICLE",
    "url": None,
    "content": "text",
    "status": "published",
    "position": None,
}
SESSION = {
    "moduleId": MODULE,
    "lessonId": "lesson-1",
    "lessonProgress": 0.5,
    "timeSpent": 60,
    "positionSeconds": 30,
    "accessedAt": "2025-07-29T12:30:00+00:00",
    "courseProgress": 0.25,
}


def published(application: str, event_type: str, payload: dict) -> PublishedEvent:
    return PublishedEvent(
        application=application,
        position=7,
        event_type=event_type,
        aggregate_id=str(uuid.uuid4()),
        aggregate_version=3,
        schema_version=1,
        timestamp=datetime(2025, 7, 29, 12, 30, tzinfo=UTC),
        payload=payload,
    )


def through_kafka(events: list[PublishedEvent]) -> list[PublishedEvent]:
    """Publish ``events`` as Campus publishes, and read them back as the projectors read."""
    with private_topic() as (topic, group):
        settings = Settings(
            _env_file=None,
            kafka_bootstrap_servers=KAFKA_SERVERS,
            kafka_topic=topic,
            kafka_consumer_group_prefix=group,
        )
        publisher = KafkaEventPublisher(settings)
        publisher.publish(events)
        publisher.flush()
        consumer = create_consumer(settings, "old-shapes")
        consumer.subscribe([topic])
        try:
            read: list[PublishedEvent] = []
            deadline = time.monotonic() + 30
            while len(read) < len(events) and time.monotonic() < deadline:
                batch = consumer.poll(timeout_ms=500)
                read += [r for tp, msgs in batch.items() for _, r in parsed(tp, msgs)]
            return read
        finally:
            consumer.close()
            publisher.close()


@pytest.fixture(scope="module")
def read_back() -> dict[str, PublishedEvent]:
    events = [
        published("catalog", "Course.LessonAdded", LESSON),
        published("learning", "Enrollment.LessonProgressed", SESSION),
    ]
    return {event.event_type: event for event in through_kafka(events)}


def test_an_old_lesson_added_is_read_with_no_duration(read_back):
    event = read_back["Course.LessonAdded"]
    assert event.schema_version == 2
    assert event.payload == LESSON | {"durationSeconds": None}


def test_an_old_session_is_read_as_on_an_unknown_device(read_back):
    event = read_back["Enrollment.LessonProgressed"]
    assert event.schema_version == 2
    assert event.payload == SESSION | {"device": "unknown"}


def test_the_structure_projection_takes_the_old_lesson(read_back):
    structure = [{"id": MODULE, "title": "M", "status": "published", "lessons": []}]
    STRUCTURE_HANDLERS["Course.LessonAdded"](structure, read_back["Course.LessonAdded"])
    [lesson] = structure[0]["lessons"]
    assert lesson["id"] == "lesson-1" and lesson["durationSeconds"] is None
