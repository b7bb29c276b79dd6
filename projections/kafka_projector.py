"""The production projector: consume the topic in a consumer group, apply, then commit offsets.

Offsets are committed to Kafka only after the rows and positions have committed; a crash in
between redelivers records that the tracked positions then skip (exactly-once effect).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from infra.kafka import create_consumer
from infra.settings import Settings
from projections.base import Runner
from schemas.events import parse_record


def run_kafka_projector(
    settings: Settings,
    runner: Runner,
    group: str,
    applications: Sequence[str],
    stop: threading.Event,
) -> None:
    consumer = create_consumer(settings, group)
    consumer.subscribe([settings.kafka_topic])
    partitions = wait_for_partitions(consumer, settings.kafka_topic, stop)
    runner.ensure_partitions(applications, partitions)
    try:
        while not stop.is_set():
            batch = consumer.poll(timeout_ms=200, max_records=1000)
            records = [
                (tp.partition, parse_record(m.value)) for tp, msgs in batch.items() for m in msgs
            ]
            if records:
                runner.apply(records)
                consumer.commit()
    finally:
        consumer.close()


def wait_for_partitions(consumer, topic: str, stop: threading.Event) -> list[int]:
    while not stop.is_set():
        if topic in consumer.topics():  # refreshes metadata without fetching records
            return sorted(consumer.partitions_for_topic(topic) or [0])
        stop.wait(0.5)
    return []
