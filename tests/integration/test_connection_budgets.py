"""Each process opens only what its role uses, under its own name in pg_stat_activity, and
wakes followers of the event store when events commit."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from domain.users.user import User
from infra.eventstore.commit_listener import listen_for_commits
from infra.roles import POOLS, connection_name
from infra.settings import Settings
from ops.bootstrap import bootstrap
from tests import services
from tests.conftest import TEST_CARD_KEY, embedded_settings


def on_postgres(tmp_path, database: str, role: str) -> Settings:
    secrets = {"jwt_secret": "test-secret-" * 4, "paystack_secret_key": "sk_test_budgets"}
    return embedded_settings(
        tmp_path, database_url=database, role=role, card_details_key=TEST_CARD_KEY, **secrets
    )


def connections_named(database_url: str, name: str) -> int:
    with psycopg.connect(services.POSTGRES_URL, autocommit=True) as admin:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s"
        row = admin.execute(query, (database_url.rsplit("/", 1)[1], name)).fetchone()
    return row[0] if row else 0


def new_user(n: int) -> User:
    return User(f"budget{n}@example.com", None, f"User {n}", None, None, "student")


def test_a_read_api_writes_nothing_and_keeps_no_connection_until_it_reads(tmp_path):
    with services.fresh_database() as database:
        campus = bootstrap(on_postgres(tmp_path, database, "read"))
        try:
            committers = [app.committer for app in campus.apps.values()]
            assert all(c is None or c.thread is None for c in committers)
            assert connections_named(database, connection_name("read")) <= 1  # the tables'
        finally:
            campus.close()


def test_the_applications_of_a_process_share_one_pool_within_its_budget(tmp_path):
    with services.fresh_database() as database:
        campus = bootstrap(on_postgres(tmp_path, database, "write"))
        try:
            with ThreadPoolExecutor(16) as pool:
                list(pool.map(lambda n: campus.identity.save(new_user(n)), range(64)))
                list(pool.map(lambda app: app.recorder.max_notification_id(), campus.apps.values()))
            held = connections_named(database, connection_name("write"))
            assert 1 <= held <= POOLS["write"].event_store + POOLS["write"].read_models
        finally:
            campus.close()


@pytest.fixture
def listening(tmp_path):
    """A relay's Campus and its listener, connected (its first wait answers at once)."""
    with services.fresh_database() as database:
        campus = bootstrap(on_postgres(tmp_path, database, "relay"))
        listener = listen_for_commits(campus.settings, list(campus.apps.values()))
        try:
            assert listener is not None and listener.wait(10)
            yield campus, listener
        finally:
            listener and listener.close()
            campus.close()


def test_a_commit_wakes_its_listener_long_before_the_fallback_poll(listening):
    campus, listener = listening
    timer = threading.Timer(0.2, lambda: campus.identity.save(new_user(0)))
    timer.start()
    started = time.monotonic()
    assert listener.wait(10)
    assert time.monotonic() - started < 5
    timer.join()


def test_a_listener_whose_connection_broke_waits_out_the_poll_then_listens_again(listening):
    _, listener = listening
    with psycopg.connect(services.POSTGRES_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (listener.conn.info.backend_pid,))
    assert listener.wait(0.2) is False  # broken: polled, not raised
    assert listener.wait(0.2) is True  # listening again: catch up at once
