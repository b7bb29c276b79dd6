"""Shared fixtures: settings that hash fast, and the two ways Campus runs.

``campus_backend`` is parametrized: ``embedded`` (SQLite, projections in-process) and
``services`` (PostgreSQL event store and read models, Redis, Kafka with the relay and the
read-model and analytics projectors running as they do in production, here as threads; the
analytics store is chDB, as no ClickHouse server runs here).
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from infra.settings import Settings

# Campus itself is imported where a Campus is made, not here: the process that hands tests to
# the side-by-side workers loads this file too, and runs none of them; importing all of Campus
# first delayed every worker's start by two seconds.
if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from ops.bootstrap import Campus

# Each test's stores (SQLite, chDB, blobs) live in its tmp_path: in memory-backed /dev/shm,
# where there is one, creating them costs a fraction of what fsyncs to disk do.
if Path("/dev/shm").is_dir():
    os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", "/dev/shm")

# A fixed AES-256 key for card details outside the embedded default (base64 of 32 bytes).
TEST_CARD_KEY = "Y2FtcHVzLXRlc3QtY2FyZC1kZXRhaWxzLWtleS0zMiE="
FAST_HASHING = {"argon2_time_cost": 1, "argon2_memory_cost_kib": 1024, "argon2_parallelism": 1}


def embedded_settings(data_dir: Path, **overrides: object) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, log_json=False, **(FAST_HASHING | overrides))


@dataclass
class Running:
    """A Campus with its HTTP client and, in production shape, its relay and projector."""

    campus: Campus
    client: TestClient
    kind: str
    stops: list[threading.Event] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)

    def background(self, work: Callable[[threading.Event], None]) -> None:
        stop = threading.Event()
        thread = threading.Thread(target=work, args=(stop,), daemon=True)
        thread.start()
        self.stops.append(stop)
        self.threads.append(thread)

    def shutdown(self) -> None:
        for stop in self.stops:
            stop.set()
        for thread in self.threads:
            thread.join(timeout=15)


@contextmanager
def embedded_campus(data_dir: Path, oauth: object = None, **overrides: object) -> Iterator[Running]:
    from ops.app import create_app
    from ops.bootstrap import bootstrap
    from tests.client import Client

    if not overrides and not (data_dir.exists() and any(data_dir.iterdir())):
        shutil.copytree(empty_stores(), data_dir, dirs_exist_ok=True)
    campus = bootstrap(embedded_settings(data_dir, **overrides), oauth=oauth)
    with Client(create_app(campus), raise_server_exceptions=False) as client:
        yield Running(campus, client, "embedded")


@cache
def empty_stores() -> Path:
    """A data folder with the embedded stores and their tables, made once per test process and
    copied for each test's Campus: creating the tables was a sixth of starting a Campus. It
    keeps no secret, so each Campus still makes its own signing and encryption keys."""
    from ops.bootstrap import bootstrap

    folder = Path(tempfile.mkdtemp(dir=os.environ.get("PYTEST_DEBUG_TEMPROOT")))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    bootstrap(embedded_settings(folder)).close()
    for secret in (f for f in folder.rglob("*") if f.is_file() and f.suffix != ".sqlite"):
        secret.unlink()
    return folder


@contextmanager
def services_campus(
    data_dir: Path, oauth: object = None, notify: bool = False, **overrides: object
) -> Iterator[Running]:
    """``notify``: run the sender too (only tests of notifications wait for its group join)."""
    from infra.kafka import ensure_topic
    from ops.app import create_app
    from ops.bootstrap import bootstrap
    from tests import services
    from tests.client import Client

    with ExitStack() as stack:
        database = stack.enter_context(services.fresh_database())
        topic, group = stack.enter_context(services.private_topic())
        production = {
            "database_url": database,
            "redis_url": services.clean_redis(),
            "jwt_secret": "test-secret-" * 4,
            "card_details_key": TEST_CARD_KEY,
            "paystack_secret_key": "sk_test_sandbox_services",
            "kafka_bootstrap_servers": services.KAFKA_SERVERS,
            "kafka_topic": topic,
            "kafka_consumer_group_prefix": group,
            # Two projectors join their consumer groups per test; on a loaded machine a cold
            # join takes seconds, and a read with a token should wait for it, not answer stale.
            "consistency_wait_seconds": 15.0,
        }
        settings = embedded_settings(data_dir, **(production | overrides))
        campus = bootstrap(settings, oauth=oauth)
        ensure_topic(settings)
        client = stack.enter_context(Client(create_app(campus), raise_server_exceptions=False))
        running = Running(campus, client, "services")
        stack.callback(running.shutdown)
        start_pipeline(running, notify)
        yield running


def start_pipeline(running: Running, notify: bool = False) -> None:
    """The relay and the projectors, as `campus relay` and `campus project` run them, and with
    ``notify`` the sender, as `campus notify` runs it."""
    from infra.eventstore.commit_listener import listen_for_commits
    from infra.kafka import KafkaEventPublisher
    from ops.workers.kafka_projector import run_kafka_projector
    from ops.workers.notifier import NOTIFIER, NotifierRunner
    from ops.workers.relay import Relay

    campus = running.campus
    publisher = KafkaEventPublisher(campus.settings)
    relay = Relay(list(campus.apps.values()), publisher, campus.read_engine, 500)
    listener = listen_for_commits(campus.settings, list(campus.apps.values()))

    def relay_until(stop: threading.Event) -> None:  # woken by commits, as `campus relay` is
        relay.run(stop, campus.settings.relay_fallback_poll_seconds, listener)
        if listener:
            listener.close()

    running.background(relay_until)
    for name in ("read-models", "analytics"):
        running.background(
            lambda stop, name=name: run_kafka_projector(
                campus.settings, campus.runner(name), name, list(campus.apps), stop
            )
        )
    if notify:
        running.background(
            lambda stop: run_kafka_projector(
                campus.settings, NotifierRunner(campus), NOTIFIER, list(campus.apps), stop
            )
        )


@pytest.fixture(autouse=True)
def logging_put_back() -> Iterator[None]:
    """A command run in-process (typer's CliRunner) configures logging as ``campus`` does for
    its process: the root logger at INFO, writing to the stdout the runner had swapped in and
    closed when the command returned. Left so, every later record of the test process, from
    any thread, failed to write ("--- Logging error ---" and a stack, even between tests).
    Pytest's own capture handlers come and go per phase and are left to it."""
    root = logging.getLogger()
    level = root.level
    yield
    root.setLevel(level)
    for handler in root.handlers[:]:
        if not type(handler).__module__.startswith("_pytest"):
            root.removeHandler(handler)


@pytest.fixture(autouse=True)
def apps_let_go() -> Iterator[None]:
    """FastAPI remembers, per endpoint, whether it is a coroutine or a generator, in caches of
    4,096 entries keyed by the endpoint; the documentation endpoints are closures over their
    app, so each app a test made stayed alive, with its Campus, for thousands of tests after:
    a worker's heap grew past a gigabyte and every full garbage collection walked all of it."""
    yield
    from fastapi.dependencies import models as fastapi_models

    fastapi_models._is_gen_callable_cached.cache_clear()
    fastapi_models._is_async_gen_callable_cached.cache_clear()
    fastapi_models._is_coroutine_callable_cached.cache_clear()


@pytest.fixture(params=["embedded", "services"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Running]:
    """Campus on each backend in turn; the same test runs against both."""
    factory = embedded_campus if request.param == "embedded" else services_campus
    with factory(tmp_path) as running:
        yield running


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Running]:
    with embedded_campus(tmp_path) as running:
        yield running


SERVICE_USES = (
    "services_campus(",
    "fresh_database(",
    "production(",
    "clean_redis(",
    "private_topic(",
    "services.POSTGRES_URL",
    "services.REDIS_SERVER",
    "services.KAFKA_SERVERS",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that talks to PostgreSQL, Redis or Kafka ``services``, so that
    ``-m 'not services'`` runs the fast tier alone: a test run on the services backend, and any
    other test of a module that starts those services (unless it runs embedded)."""
    sources: dict[str, str] = {}
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "services" in params.values():
            item.add_marker(pytest.mark.services)
            continue
        if "embedded" in params.values():
            continue
        path = str(item.path)
        if path not in sources:
            sources[path] = item.path.read_text()
        if any(use in sources[path] for use in SERVICE_USES):
            item.add_marker(pytest.mark.services)


def pytest_configure(config: pytest.Config) -> None:
    """No garbage collection while a process collects: importing Campus, its libraries and its
    tests makes few cycles, but so many objects that the collector walked them all again and
    again, a fifth of a test process's collection (3.4-4.3 s of CPU, 2.8-3.5 s without). The
    process that hands tests to side-by-side workers collects none, and keeps its collector."""
    if "PYTEST_XDIST_WORKER" in os.environ or not config.getoption("numprocesses", None):
        gc.disable()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Set what collection imported (all of Campus, its libraries and tests) apart from the
    garbage collector, and collect less often: each full collection walked those millions of
    objects again, and collections took 14 % of a test process's CPU (now 5 %)."""
    gc.enable()
    gc.collect()
    gc.freeze()
    gc.set_threshold(25_000, 20, 20)  # the default 700 ran a young collection every few calls
