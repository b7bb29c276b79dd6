"""Real services for tests: fresh PostgreSQL databases, a clean Redis, a private Kafka topic.

They come from ops/services/up.sh; a test that needs one and cannot reach it fails (it is
never skipped), naming the script to run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import cache

import psycopg
import redis

from ops.bench.database import private_topic as bench_private_topic
from ops.bench.database import require

POSTGRES_URL = os.environ.get(
    "CAMPUS_TEST_POSTGRES_URL", "postgresql://campus:campus@127.0.0.1:55432/campus"
)
REDIS_SERVER = os.environ.get("CAMPUS_TEST_REDIS_URL", "redis://127.0.0.1:56379")
REDIS_DATABASES = 256  # ops/services/up.sh starts Redis with as many
KAFKA_SERVERS = os.environ.get("CAMPUS_TEST_KAFKA", "127.0.0.1:59092")


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; dropped afterwards."""
    require(POSTGRES_URL, "PostgreSQL")
    name = f"campus_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        # A test's commits need not survive a crash of the machine, only PostgreSQL's clean
        # restarts (which flush); not waiting for each commit's WAL flush saves most of the
        # time a services test spends committing. Benchmarks keep the server's setting.
        admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@cache
def redis_url() -> str:
    """This test run's own Redis database (1..255), handed out by a counter in database 0, so
    that runs side by side never flush each other's keys."""
    require(f"{REDIS_SERVER}/0", "Redis")
    runs = redis.Redis.from_url(f"{REDIS_SERVER}/0").incr("campus:test-runs")
    return f"{REDIS_SERVER}/{runs % (REDIS_DATABASES - 1) + 1}"


def clean_redis() -> str:
    url = redis_url()
    redis.Redis.from_url(url).flushdb()
    return url


def private_topic() -> AbstractContextManager[tuple[str, str]]:
    """A topic and consumer-group prefix no other test shares; deleted after the test."""
    return bench_private_topic(KAFKA_SERVERS, "test")
