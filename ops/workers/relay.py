"""The relay: follows each application's notification log and publishes it to Kafka.

Woken by each commit on PostgreSQL (LISTEN/NOTIFY, see infra/eventstore/commit_listener),
it also reads the logs unprompted every so often, so a lost notification only delays events.
At-least-once: a batch is published and acknowledged before its position is recorded, so a
crash re-publishes at most one batch, and projections drop the duplicates by position. Reading
the log in notification order is safe: the event store commits positions in order (each insert
holds its table's lock until commit), so no event can appear later below a position read.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from eventsourcing.application import Application
from sqlalchemy import BigInteger, Column, Engine, MetaData, String, Table, select

from infra.eventstore.publishing import read_published
from ops.workers.loop import keep_going

if TYPE_CHECKING:  # every process makes the relay's table; only `campus relay` loads Kafka
    from infra.eventstore.commit_listener import CommitListener
    from infra.kafka import KafkaEventPublisher

log = logging.getLogger("campus.relay")

relay_metadata = MetaData()
relay_positions = Table(
    "relay_positions",
    relay_metadata,
    Column("application", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
)


class Relay:
    def __init__(
        self,
        apps: Sequence[Application],
        publisher: KafkaEventPublisher,
        engine: Engine,
        batch_size: int,
    ) -> None:
        self.apps = list(apps)
        self.publisher = publisher
        self.engine = engine
        self.batch_size = batch_size

    def positions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {r.application: r.position for r in conn.execute(select(relay_positions))}

    def publish_pending(self) -> int:
        """Publish one batch per application; answer how many events went out."""
        positions, published = self.positions(), 0
        for app in self.apps:
            events = read_published(app, positions.get(app.name, 0), self.batch_size)
            if not events:
                continue
            self.publisher.publish(events)
            self.publisher.watermark(app.name, events[-1].position)
            self.publisher.flush()
            self.record(app.name, events[-1].position, app.name in positions)
            published += len(events)
        return published

    def record(self, application: str, position: int, exists: bool) -> None:
        with self.engine.begin() as conn:
            if exists:
                conn.execute(
                    relay_positions.update()
                    .where(relay_positions.c.application == application)
                    .values(position=position)
                )
            else:
                conn.execute(
                    relay_positions.insert().values(application=application, position=position)
                )

    def run(
        self,
        stop: threading.Event,
        poll_interval: float,
        listener: CommitListener | None = None,
    ) -> None:
        """Publish until stopped; idle, wait ``poll_interval``, or with a ``listener`` until
        the next commit (``poll_interval`` then only bounds a lost notification's delay)."""
        idle = listener.wait if listener else None
        keep_going("relay", lambda: self.publish_pending() > 0, stop, poll_interval, idle)
