"""One PostgreSQL pool per process for the event stores of all its applications.

The library gives each application a pool of its own, so a process opening six applications
held six pools (and kept at least one connection in each). Here the first application of a
process to reach a database builds the pool and the others share it: it opens connections on
demand, keeps no more than the process's role allows (infra/roles.py), gives back one idle
for a minute, and closes with the last application that uses it. Its connections carry the
process's name, so ``pg_stat_activity`` tells whose they are.
"""

from __future__ import annotations

import threading
from typing import Any

from eventsourcing.persistence import Environment
from eventsourcing.postgres import PostgresDatastore, PostgresFactory

from infra.eventstore.environment import APPLICATION_NAME

IDLE_SECONDS = 60.0


class SharedPools:
    """The process's datastores by database, each with how many factories use it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stores: dict[tuple[Any, ...], tuple[PostgresDatastore, int]] = {}

    def acquire(self, candidate: PostgresDatastore) -> PostgresDatastore:
        """The datastore already open on ``candidate``'s database, else ``candidate`` itself."""
        key = database_of(candidate)
        with self.lock:
            store, users = self.stores.get(key, (candidate, 0))
            self.stores[key] = (store, users + 1)
        if store is not candidate:
            candidate.close()  # never opened: nothing to give back but the object
        return store

    def release(self, store: PostgresDatastore) -> None:
        key = database_of(store)
        with self.lock:
            shared, users = self.stores.get(key, (None, 0))
            if shared is not store:
                return
            if users > 1:
                self.stores[key] = (store, users - 1)
                return
            del self.stores[key]
        store.close()


def database_of(store: PostgresDatastore) -> tuple[Any, ...]:
    kwargs = store.pool.kwargs or {}
    return (*(kwargs.get(k) for k in ("host", "port", "dbname", "user")), store.schema)


POOLS = SharedPools()


class SharedPoolFactory(PostgresFactory):
    """The library's PostgreSQL persistence, its pool shared by the process's applications."""

    def __init__(self, env: Environment | dict[str, str] | None) -> None:
        super().__init__(env)  # builds a datastore whose pool is not open: no connection yet
        pool = self.datastore.pool
        if name := self.env.get(APPLICATION_NAME):
            pool.kwargs = {**(pool.kwargs or {}), "application_name": name}
        # Read by the pool when it opens: an idle connection above the minimum (0) is closed.
        pool.max_idle = IDLE_SECONDS
        self.datastore = POOLS.acquire(self.datastore)
        self.released = False

    def close(self) -> None:
        if not self.released:  # applications close once more when collected
            self.released = True
            POOLS.release(self.datastore)
