"""The production projector: consume the topic in a consumer group, apply, then commit offsets.

Offsets are committed to Kafka only after the rows and positions have committed; a crash in
between redelivers records that the tracked positions then skip (exactly-once effect). A fault
(Kafka or the database away) closes the consumer and, after a backoff, opens a new one that
resumes from the committed offsets, so records polled but not applied are read again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord
from pydantic import ValidationError

from infra.kafka import create_consumer
from infra.settings import Settings
from ops.workers.loop import keep_going
from projections.base import Record, Runner
from projections.upcasting import current
from schemas.events import PublishedEvent, parse_record

log = logging.getLogger("campus.projector")


def run_kafka_projector(
    settings: Settings,
    runner: Runner,
    group: str,
    applications: Sequence[str],
    stop: threading.Event,
) -> None:
    consumer: KafkaConsumer | None = None

    def step() -> bool:
        nonlocal consumer
        if consumer is None:
            consumer = subscribed(settings, runner, group, applications, stop)
        try:
            return consume(consumer, runner)
        except Exception:
            consumer.close()
            consumer = None
            raise

    try:
        keep_going(f"projector {group}", step, stop, 0)  # polling waits by itself
    finally:
        if consumer is not None:
            consumer.close()


def subscribed(
    settings: Settings,
    runner: Runner,
    group: str,
    applications: Sequence[str],
    stop: threading.Event,
) -> KafkaConsumer:
    consumer = create_consumer(settings, group)
    try:
        consumer.subscribe([settings.kafka_topic])
        partitions = wait_for_partitions(consumer, settings.kafka_topic, stop)
        runner.ensure_partitions(applications, partitions)
    except Exception:
        consumer.close()
        raise
    return consumer


def consume(consumer: KafkaConsumer, runner: Runner) -> bool:
    """Apply one polled batch and commit its offsets; answer whether there was one."""
    batch = consumer.poll(timeout_ms=200, max_records=1000)
    records = [record for msgs in batch.items() for record in parsed(*msgs)]
    if records:
        runner.apply(records)
    if batch:
        consumer.commit()
    return bool(batch)


def parsed(partition: TopicPartition, messages: list[ConsumerRecord]) -> list[Record]:
    records = []
    for message in messages:
        try:
            record = parse_record(message.value)
            if isinstance(record, PublishedEvent):
                record = current(record)  # published by an older Campus, perhaps
            records.append((partition.partition, record))
        except (ValidationError, ValueError):
            # Not a record Campus published: nothing can apply it, and it must not stop the rest.
            log.error(
                "skipped an unreadable record at %s:%d offset %d: %r",
                partition.topic,
                partition.partition,
                message.offset,
                message.value[:200],
            )
    return records


def wait_for_partitions(consumer, topic: str, stop: threading.Event) -> list[int]:
    while not stop.is_set():
        if topic in consumer.topics():  # refreshes metadata without fetching records
            return sorted(consumer.partitions_for_topic(topic) or [0])
        stop.wait(0.5)
    return []
