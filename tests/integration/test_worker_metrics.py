"""The workers' scrape-time gauges, read from a real event store and read-model database (the
embedded SQLite ones): projection lag and parked events, the relay's backlog, and the refunds
the scheduler waits on."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from prometheus_client import CollectorRegistry

from commands.users.register_user import RegisterUser
from infra.eventstore.publishing import read_published
from ops.bootstrap import Campus, bootstrap
from ops.workers.metrics import (
    ProjectionCollector,
    RefundCollector,
    RelayCollector,
    applied_per_projection,
)
from ops.workers.relay import Relay
from projections.parking import park
from tests.api import PASSWORD, unique_email
from tests.conftest import embedded_settings
from tests.unit.bus import admin, instructor, pay_by_card, person, published_course


@pytest.fixture
def campus(tmp_path: Path) -> Iterator[Campus]:
    """A Campus whose projections follow nothing unless a test makes them catch up."""
    campus = bootstrap(embedded_settings(tmp_path))
    for name in ("Ada", "Grace"):
        campus.bus.handle(RegisterUser(unique_email(name.lower()), PASSWORD, name))
    yield campus
    campus.close()


def registry_of(campus: Campus, projection: str) -> CollectorRegistry:
    registry = CollectorRegistry()
    projections = applied_per_projection(campus.runner(projection), campus.read_engine)
    registry.register(ProjectionCollector(campus.apps.values(), campus.read_engine, projections))
    return registry


def gauge(registry: CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, labels)


def identity_head(campus: Campus) -> int:
    return campus.identity.recorder.max_notification_id() or 0


def test_a_projection_behind_reports_its_lag_in_events_and_seconds(campus: Campus):
    registry = registry_of(campus, "users")
    users = {"projection": "users", "application": "identity"}
    assert gauge(registry, "campus_projection_applied_position", **users) == 0
    assert gauge(registry, "campus_projection_lag_events", **users) == identity_head(campus) > 0
    assert gauge(registry, "campus_projection_lag_seconds", **users) > 0


def test_a_projection_caught_up_reports_no_lag(campus: Campus):
    campus.follower("users").catch_up()
    registry = registry_of(campus, "users")
    users = {"projection": "users", "application": "identity"}
    assert gauge(registry, "campus_projection_applied_position", **users) == identity_head(campus)
    assert gauge(registry, "campus_projection_lag_events", **users) == 0
    assert gauge(registry, "campus_projection_lag_seconds", **users) == 0


def test_a_group_reports_each_of_its_projections(campus: Campus):
    registry = registry_of(campus, "read-models")
    for projection in ("users", "catalog", "enrollments"):
        labels = {"projection": projection, "application": "identity"}
        assert gauge(registry, "campus_projection_lag_events", **labels) is not None


def test_parked_events_are_counted_per_projection(campus: Campus):
    first, second = read_published(campus.identity, 0, 2)
    with campus.read_engine.begin() as conn:
        park(conn, "users", first, "cannot apply this learner's event")
        park(conn, "users", second, "waits behind an earlier parked event of its aggregate")
    registry = registry_of(campus, "users")
    assert gauge(registry, "campus_projection_parked_events", projection="users") == 2


def test_the_relay_reports_its_backlog_behind_the_event_store_head(campus: Campus):
    relay = Relay(list(campus.apps.values()), None, campus.read_engine, 100)  # type: ignore[arg-type]
    relay.record("identity", 1, exists=False)
    registry = CollectorRegistry()
    registry.register(RelayCollector(relay))
    identity = {"application": "identity"}
    assert gauge(registry, "campus_relay_published_position", **identity) == 1
    assert gauge(registry, "campus_relay_backlog_events", **identity) == identity_head(campus) - 1
    assert gauge(registry, "campus_relay_backlog_events", application="catalog") == 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def refunds_registry(campus: Campus) -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(RefundCollector(campus.read_engine))
    return registry


def test_no_refund_in_progress_reports_none_waiting(campus: Campus):
    campus.follower().catch_up()
    registry = refunds_registry(campus)
    assert gauge(registry, "campus_refunds_in_progress") == 0
    assert gauge(registry, "campus_refund_oldest_seconds") == 0


def test_a_refund_in_progress_reports_how_long_it_has_waited(campus: Campus):
    course = published_course(campus, instructor(campus), price=500_000)
    paid = pay_by_card(campus, person(campus, "Cy"), course)
    payment = campus.apps["commerce"].get_payment(paid.id)
    payment.start_refund(uuid4(), None, "asked", admin(campus).user_id)
    campus.apps["commerce"].save(payment)  # and the gateway's answer never came
    campus.follower().catch_up()

    registry = refunds_registry(campus)
    assert gauge(registry, "campus_refunds_in_progress") == 1
    assert gauge(registry, "campus_refund_oldest_seconds") > 0


def test_a_worker_serves_its_metrics_on_the_configured_port(campus: Campus):
    campus.metrics.register(RelayCollector(Relay([campus.identity], None, campus.read_engine, 1)))  # type: ignore[arg-type]
    server = campus.metrics.serve(free_port(), "127.0.0.1")
    assert server is not None
    try:
        host, port = server.server_address[:2]
        text = httpx.get(f"http://{host}:{port}/metrics", timeout=5).text
    finally:
        server.shutdown()
        server.server_close()
    assert 'campus_relay_backlog_events{application="identity"}' in text


def test_a_worker_serves_no_metrics_unless_a_port_is_set(campus: Campus):
    assert campus.settings.metrics_port == 0
    assert campus.metrics.serve(campus.settings.metrics_port) is None
