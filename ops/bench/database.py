"""The services a benchmark runs against: a fresh PostgreSQL database and a private Kafka topic
for each run, both removed afterwards, so runs never see each other's data."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from urllib.parse import urlparse

POSTGRES_URL = "postgresql://campus:campus@127.0.0.1:55432/campus"
REDIS_URL = "redis://127.0.0.1:56379/0"
KAFKA_SERVERS = "127.0.0.1:59092"


class ServiceUnavailableError(RuntimeError):
    """A service the benchmark needs does not answer."""


@dataclass(frozen=True)
class Services:
    postgres_url: str = POSTGRES_URL
    redis_url: str = REDIS_URL
    kafka: str = KAFKA_SERVERS


def require(url_or_hostport: str, what: str) -> None:
    parsed = urlparse(url_or_hostport if "://" in url_or_hostport else f"tcp://{url_or_hostport}")
    try:
        socket.create_connection((parsed.hostname, parsed.port), timeout=2).close()
    except OSError:
        raise ServiceUnavailableError(
            f"{what} is not reachable at {url_or_hostport}: run ops/services/up.sh"
        ) from None


def database_url(server_url: str, name: str) -> str:
    """``server_url`` with its database replaced by ``name``."""
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``server_url``; dropped afterwards."""
    # The drivers are imported where a benchmark uses them: ``campus`` loads this module for
    # the bench commands' options, and every other command would pay for PostgreSQL's driver.
    import psycopg

    require(server_url, "PostgreSQL")
    name = f"campus_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        return str(conn.execute("SHOW server_version").fetchone()[0])


CONSUMER_GROUPS = ("read-models", "analytics", "notifier")  # what a private topic may have


@contextmanager
def private_topic(servers: str, purpose: str = "bench") -> Iterator[tuple[str, str]]:
    """A topic and consumer-group prefix of this run only; deleted afterwards, so a broker that
    serves many runs does not keep thousands of topics (its metadata slows every client)."""
    from kafka import KafkaAdminClient

    require(servers, "Kafka")
    suffix = uuid.uuid4().hex[:10]
    topic, prefix = f"campus.{purpose}.{suffix}", f"campus-{purpose}-{suffix}"
    try:
        yield topic, prefix
    finally:
        admin = KafkaAdminClient(bootstrap_servers=servers)
        # The topic exists only if the relay got to create it; a group, if a projector joined.
        with suppress(Exception):
            admin.delete_topics([topic])
        # kafka-python 3 names it delete_groups; 2.x, delete_consumer_groups.
        delete_groups = getattr(admin, "delete_groups", None) or admin.delete_consumer_groups
        for group in CONSUMER_GROUPS:
            with suppress(Exception):
                delete_groups([f"{prefix}-{group}"])
        admin.close()
