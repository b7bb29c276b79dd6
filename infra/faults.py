"""Which failures are the world's (a server away, a pool exhausted) rather than the data's.

A transient fault is retried where it happened, with backoff, however long it lasts; any other
failure is the work's own (an event a projection cannot apply) and retrying it as it is cannot
help, so it is set aside instead of stopping everything behind it.
"""

from __future__ import annotations

import sys

import sqlalchemy.exc
from eventsourcing import persistence as eventstore

ALWAYS: tuple[type[BaseException], ...] = (
    sqlalchemy.exc.OperationalError,  # connection lost, server restarting, SQLite busy
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.DisconnectionError,
    sqlalchemy.exc.TimeoutError,  # the pool had no connection to give
    eventstore.OperationalError,
    eventstore.InterfaceError,
    eventstore.ConnectionUnavailableError,
    ConnectionError,
    TimeoutError,
)
# The service drivers' own faults, by module and name. A driver's error can only be raised once
# the driver is loaded, so none is imported here: the embedded default never loads Kafka's
# client, and importing it for this list cost every process a seventh of a second at start.
DRIVERS = {
    "psycopg": ("OperationalError", "InterfaceError"),  # PoolTimeout is an OperationalError
    "redis": ("ConnectionError", "TimeoutError"),
    "kafka.errors": ("KafkaError",),
}


def is_transient(error: BaseException) -> bool:
    if isinstance(error, sqlalchemy.exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, ALWAYS + loaded_driver_faults())


def loaded_driver_faults() -> tuple[type[BaseException], ...]:
    return tuple(
        getattr(module, name)
        for module_name, names in DRIVERS.items()
        if (module := sys.modules.get(module_name)) is not None
        for name in names
    )
