"""What the workers report at scrape time: how far projections and the relay are behind, and
the refunds the scheduler is waiting on.

These gauges need queries (the event store's head, tracked positions, parked events), so they
are computed when Prometheus scrapes, by collectors, never on the path that applies events. A
scrape that cannot reach a database reports what it could and logs why, rather than failing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from eventsourcing.application import Application
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import Engine

from ops.workers.relay import Relay
from projections.base import Runner
from projections.parking import counts
from projections.queries.refunds_in_flight import refunds_in_progress
from projections.tracked import TrackedRunner
from projections.tracking import applied_through

if TYPE_CHECKING:
    from ops.bootstrap import Campus

log = logging.getLogger("campus.metrics")

AppliedThrough = Callable[[str], int]  # application name -> position applied up to


def head(app: Application) -> int:
    return app.recorder.max_notification_id() or 0


def seconds_behind(app: Application, applied: int, now: datetime) -> float:
    """The age of the oldest event not yet applied: 0 when nothing waits."""
    if applied >= head(app):
        return 0.0
    [oldest] = app.recorder.select_notifications(start=applied + 1, limit=1)
    timestamp = app.mapper.to_domain_event(oldest).timestamp
    return max((now - timestamp).total_seconds(), 0.0)


class ProjectionCollector:
    """Per projection and application: applied position, lag in events and seconds; per
    projection: the parked events."""

    def __init__(
        self,
        apps: Iterable[Application],
        engine: Engine,
        projections: Mapping[str, AppliedThrough],
    ) -> None:
        self.apps, self.engine, self.projections = list(apps), engine, dict(projections)

    def collect(self) -> Iterator[Metric]:
        labels = ["projection", "application"]
        applied = GaugeMetricFamily(
            "campus_projection_applied_position", "Last event position applied.", labels=labels
        )
        lag = GaugeMetricFamily(
            "campus_projection_lag_events", "Event-store head minus applied.", labels=labels
        )
        age = GaugeMetricFamily(
            "campus_projection_lag_seconds", "Age of the oldest unapplied event.", labels=labels
        )
        parked = GaugeMetricFamily(
            "campus_projection_parked_events", "Events set aside.", labels=["projection"]
        )
        try:
            self.measure(applied, lag, age, parked)
        except Exception as error:  # an unreachable store must not fail the whole scrape
            log.warning("projection metrics unavailable: %r", error)
        yield from (applied, lag, age, parked)

    def measure(self, applied: GaugeMetricFamily, *gauges: GaugeMetricFamily) -> None:
        lag, age, parked = gauges
        now = datetime.now(UTC)
        with self.engine.connect() as conn:
            parked_counts = counts(conn)
        for name, through in self.projections.items():
            parked.add_metric([name], parked_counts.get(name, 0))
            for app in self.apps:
                done = through(app.name)
                applied.add_metric([name, app.name], done)
                lag.add_metric([name, app.name], max(head(app) - done, 0))
                age.add_metric([name, app.name], seconds_behind(app, done, now))


class RelayCollector:
    """Per application: the position published to Kafka and the backlog behind it."""

    def __init__(self, relay: Relay) -> None:
        self.relay = relay

    def collect(self) -> Iterator[Metric]:
        labels = ["application"]
        published = GaugeMetricFamily(
            "campus_relay_published_position", "Last position published.", labels=labels
        )
        backlog = GaugeMetricFamily(
            "campus_relay_backlog_events", "Event-store head minus published.", labels=labels
        )
        try:
            positions = self.relay.positions()
            for app in self.relay.apps:
                done = positions.get(app.name, 0)
                published.add_metric([app.name], done)
                backlog.add_metric([app.name], max(head(app) - done, 0))
        except Exception as error:
            log.warning("relay metrics unavailable: %r", error)
        yield from (published, backlog)


class RefundCollector:
    """Refunds claimed and not settled: how many, and how long the oldest has waited. Paystack
    pays most within days; one waiting longer is for a person to look at (an owed refund that
    failed at the gateway, one it holds only in part, or one that needs the customer's bank
    details), so an alert on the age is the signal."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        waiting = GaugeMetricFamily(
            "campus_refunds_in_progress", "Refunds claimed and not yet paid back or withdrawn."
        )
        oldest = GaugeMetricFamily(
            "campus_refund_oldest_seconds", "Age of the oldest refund in progress (0 if none)."
        )
        try:
            count, started = refunds_in_progress(self.engine)
            waiting.add_metric([], count)
            oldest.add_metric([], (datetime.now(UTC) - started).total_seconds() if started else 0)
        except Exception as error:
            log.warning("refund metrics unavailable: %r", error)
        yield from (waiting, oldest)


def tracked(engine: Engine, projection: str) -> AppliedThrough:
    def through(application: str) -> int:
        with engine.connect() as conn:
            return applied_through(conn, projection, application)

    return through


def applied_per_projection(runner: Runner, engine: Engine) -> dict[str, AppliedThrough]:
    """Each projection of a runner (a group has several) and how to read how far it got."""
    if isinstance(runner, TrackedRunner):  # the read models and the notifier: tracked rows
        return {name: tracked(engine, name) for name in runner.names}
    return {name: runner.applied_through for name in runner.names}


def serve_projection_metrics(campus: Campus, runner: Runner) -> None:
    """Report the runner's projections at scrape time, on CAMPUS_METRICS_PORT if set."""
    projections = applied_per_projection(runner, campus.read_engine)
    campus.metrics.register(
        ProjectionCollector(campus.apps.values(), campus.read_engine, projections)
    )
    campus.metrics.serve(campus.settings.metrics_port)
