"""Kafka adapters: the relay's publisher and the projectors' consumer factory."""

from __future__ import annotations

from collections.abc import Sequence

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from infra.settings import Settings
from schemas.events import PublishedEvent, Watermark

# Which kind of record, for consumers that route on headers without parsing the value.
WATERMARK = [("kind", b"watermark")]


def ensure_topic(settings: Settings, partitions: int = 3) -> None:
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    try:
        admin.create_topics([NewTopic(settings.kafka_topic, partitions, replication_factor=1)])
    except TopicAlreadyExistsError:
        pass
    finally:
        admin.close()


class KafkaEventPublisher:
    """Publishes events keyed by aggregate id (per-aggregate order) and per-partition watermarks."""

    def __init__(self, settings: Settings) -> None:
        self.topic = settings.kafka_topic
        self.producer = KafkaProducer(
            bootstrap_servers=settings.kafka_bootstrap_servers,
            acks="all",
            enable_idempotence=True,
            linger_ms=2,
            compression_type=None,
        )
        self.pending: list = []

    def publish(self, events: Sequence[PublishedEvent]) -> None:
        for event in events:
            headers = [("kind", b"event"), ("event-type", event.event_type.encode())]
            if event.correlation_id:
                headers.append(("correlation-id", event.correlation_id.encode()))
            self.pending.append(
                self.producer.send(
                    self.topic,
                    key=event.aggregate_id.encode(),
                    value=event.model_dump_json(by_alias=True).encode(),
                    headers=headers,
                )
            )

    def watermark(self, application: str, position: int) -> None:
        value = Watermark(application=application, position=position).model_dump_json(by_alias=True)
        for partition in sorted(self.producer.partitions_for(self.topic)):
            self.pending.append(
                self.producer.send(
                    self.topic, value=value.encode(), partition=partition, headers=WATERMARK
                )
            )

    def flush(self) -> None:
        """Wait until every record is acknowledged; raise if any was not. Either way the records
        are forgotten: after a failure the caller publishes the batch again."""
        pending, self.pending = self.pending, []
        self.producer.flush()
        for future in pending:
            future.get(timeout=30)

    def close(self) -> None:
        self.producer.close()


def create_consumer(settings: Settings, group: str) -> KafkaConsumer:
    return KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"{settings.kafka_consumer_group_prefix}-{group}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=1000,
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=max(1000, settings.kafka_session_timeout_ms // 4),
    )
