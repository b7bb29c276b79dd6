"""The sender: turns facts into notifications and delivers them (``campus notify``).

It follows the event stream like a projector, but its effects are notifications rather than
rows: an event a policy cares about requests notifications, and a requested notification (from
a policy, an admin, or a reminder) is delivered. Its position is tracked as a projection's,
and saved after the batch's deliveries have been recorded; a crash in between replays the
batch, which requests nothing new (notification ids come from their causes) and delivers only
what is still pending. One sender works at a time: the batch holds the ``notifier`` lock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from commands.causation import caused_by, of_event
from commands.notifications.deliver_notification import DeliverNotification
from commands.notifications.policies import Sources, requests_for
from domain.errors import DomainError
from infra import context
from projections import parking
from projections.base import Record
from projections.tracked import TrackedRunner
from projections.tracking import load_positions, save_positions
from schemas.events import PublishedEvent
from schemas.published.notifications import NotificationRequested

if TYPE_CHECKING:
    from ops.bootstrap import Campus

NOTIFIER = "notifier"
log = logging.getLogger("campus.notifier")


class NotifierRunner(TrackedRunner):
    def __init__(self, campus: Campus) -> None:
        super().__init__(campus.read_engine, [NOTIFIER], campus.settings.data_dir)
        self.bus = campus.bus
        self.sources = Sources(
            campus.identity,
            campus.apps["catalog"],  # type: ignore[arg-type]
            campus.apps["commerce"],  # type: ignore[arg-type]
            campus.apps["learning"],  # type: ignore[arg-type]
            campus.settings.public_base_url,
        )
        self.workers = campus.settings.notification_workers
        self.metrics = campus.metrics

    def apply(self, records: Sequence[Record], lock: bool = True) -> None:
        with self.held() if lock else nullcontext():
            with self.engine.connect() as conn:
                known = load_positions(conn, self.names)
                waiting = parking.waiting_aggregates(conn, self.names)
            positions = dict(known)
            self.react(self.unseen(NOTIFIER, records, positions), waiting)
            changed = {k: v for k, v in positions.items() if known.get(k) != v}
            with self.engine.begin() as conn:
                save_positions(conn, changed, set(known))

    def react(self, events: Sequence[PublishedEvent], waiting: set[tuple[str, str]]) -> None:
        self.park_failures(NOTIFIER, events, waiting, self.failure, self.park)
        requested = [e for e in events if e.event_type == NotificationRequested.NAME]
        if requested:
            # Deliveries wait on other servers (and back off): side by side, not in a row.
            with ThreadPoolExecutor(min(self.workers, len(requested))) as pool:
                for done in [pool.submit(self.deliver, e) for e in requested]:
                    done.result()  # a store that failed us fails the batch, to be replayed

    def failure(self, event: PublishedEvent) -> str | None:
        return parking.failure_of(lambda: self.request(event))

    def request(self, event: PublishedEvent) -> None:
        try:
            with following(event):
                for request in requests_for(event, self.sources):
                    self.bus.handle(request)
        except DomainError as error:  # e.g. a course deleted since: no notice to word
            log.warning("no notice for %s %s: %s", event.event_type, event.aggregate_id, error)

    def park(self, event: PublishedEvent, error: str, attempts: int) -> None:
        with self.engine.begin() as conn:
            parking.park(conn, NOTIFIER, event, error, attempts)

    def retry_parked(
        self, name: str = NOTIFIER, aggregate_id: str | None = None
    ) -> tuple[int, int]:
        """Request the parked events' notices (of one aggregate if given) in their order; the
        requested notifications are then delivered as any other. Answer how many applied and
        how many are still parked."""
        with self.held(), self.engine.begin() as conn:
            return parking.retry(conn, NOTIFIER, aggregate_id, self.failure)

    def deliver(self, requested: PublishedEvent) -> None:
        started = datetime.now(UTC)
        with following(requested):
            notification = self.bus.handle(DeliverNotification(UUID(requested.aggregate_id)))
        # A batch replayed after a crash finds its notifications already settled: only one that
        # changed during this call is counted, so each delivery counts once.
        if not notification.is_pending and notification.modified_on >= started:
            self.metrics.delivered(notification.channel.value, notification.status.value)


@contextmanager
def following(event: PublishedEvent) -> Iterator[None]:
    """Work done because of ``event``: in its request's chain (correlation id), caused by it."""
    token = context.correlation_id.set(event.correlation_id)
    try:
        with caused_by(of_event(event.application, event.position)):
            yield
    finally:
        context.correlation_id.reset(token)
