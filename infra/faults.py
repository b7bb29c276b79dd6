"""Which failures are the world's (a server away, a pool exhausted) rather than the data's.

A transient fault is retried where it happened, with backoff, however long it lasts; any other
failure is the work's own (an event a projection cannot apply) and retrying it as it is cannot
help, so it is set aside instead of stopping everything behind it.
"""

from __future__ import annotations

import psycopg
import redis
import sqlalchemy.exc
from eventsourcing import persistence as eventstore
from kafka.errors import KafkaError

TRANSIENT: tuple[type[BaseException], ...] = (
    sqlalchemy.exc.OperationalError,  # connection lost, server restarting, SQLite busy
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.DisconnectionError,
    sqlalchemy.exc.TimeoutError,  # the pool had no connection to give
    psycopg.OperationalError,  # PoolTimeout too
    psycopg.InterfaceError,
    eventstore.OperationalError,
    eventstore.InterfaceError,
    eventstore.ConnectionUnavailableError,
    redis.ConnectionError,
    redis.TimeoutError,
    KafkaError,
    ConnectionError,
    TimeoutError,
)


def is_transient(error: BaseException) -> bool:
    if isinstance(error, sqlalchemy.exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, TRANSIENT)
