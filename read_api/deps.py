"""Dependencies of read routers: read-model queries run in a thread, and the bounds of paging.

Two ways to reach the read models. ``Reads`` runs a query function in one worker thread that
opens, uses and returns its connection: the endpoint is ``async``, so a read takes one thread
hop in all. ``ReadDb`` gives a ``def`` endpoint a connection it opens on first use, in its own
thread, and the dependency returns afterwards: the less frequent reads still use it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Annotated, Any, Concatenate, ParamSpec, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, Query, Request
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

P = ParamSpec("P")
T = TypeVar("T")


def for_reading(conn: Connection) -> Connection:
    # PostgreSQL reads in READ COMMITTED, where each statement sees its own snapshot inside a
    # transaction too: BEGIN and the ROLLBACK on return were two round trips for nothing.
    # (SQLite's transaction is one snapshot for all its statements: it keeps it.)
    if conn.dialect.name == "postgresql":
        conn.execution_options(isolation_level="AUTOCOMMIT")
    return conn


@contextmanager
def connected(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        yield for_reading(conn)


class ConnectedOnFirstUse:
    """A read-model connection taken from the pool by the thread that first uses it (the
    endpoint's), not by the dependency's: a connection taken in one pool thread and used in
    another waits for a free thread while holding it, and with every thread waiting for a
    connection, reads stood still until the pool's timeout."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.conn: Connection | None = None

    def __getattr__(self, name: str) -> Any:
        if self.conn is None:
            self.conn = for_reading(self.engine.connect())
        return getattr(self.conn, name)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


# Queries in flight per pooled connection. A query's turn spans its hop to the worker thread
# and its way back through the event loop, which on a busy machine take tens of milliseconds
# while the query itself takes one or two: with one turn per connection, the connections sat
# idle between queries and waiting reads queued for seconds behind a few turns.
TURNS_PER_CONNECTION = 4


class ReadModels:
    """Runs a query function on a read-model connection, all of it in one worker thread.

    At most ``TURNS_PER_CONNECTION`` queries per pooled connection are in flight: a read past
    that waits its turn on the event loop, not in a thread. The pool opens no overflow
    connection (one set up and torn down per request under load); a query in flight past the
    connections waits in its thread for the first one returned.
    """

    def __init__(self, engine: Engine, connections: int) -> None:
        self.engine, self.concurrency = engine, connections * TURNS_PER_CONNECTION
        self.loop: asyncio.AbstractEventLoop | None = None
        self.turns: anyio.CapacityLimiter | None = None

    async def query(
        self, run: Callable[Concatenate[Connection, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        call = partial(self.run_connected, run, *args, **kwargs)
        return await anyio.to_thread.run_sync(call, limiter=self.turns_of_loop())

    def turns_of_loop(self) -> anyio.CapacityLimiter:
        # A limiter belongs to the event loop it was made in: a server has one, tests several.
        loop = asyncio.get_running_loop()
        if self.turns is None or self.loop is not loop:
            self.loop, self.turns = loop, anyio.CapacityLimiter(self.concurrency)
        return self.turns

    def run_connected(
        self, run: Callable[Concatenate[Connection, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        try:
            with connected(self.engine) as conn:
                return run(conn, *args, **kwargs)
        except DBAPIError as error:
            # The pool does not ping each connection it lends (a round trip per read): one
            # found dead, the server having restarted, is dropped with the pool's others, and
            # the read, which changes nothing, runs once more on a fresh connection.
            if not error.connection_invalidated:
                raise
        with connected(self.engine) as conn:
            return run(conn, *args, **kwargs)


async def read_models(request: Request) -> ReadModels:
    # async: a plain function would itself be sent to the threadpool, one hop more.
    return request.app.state.read_models


Reads = Annotated[ReadModels, Depends(read_models)]


def read_connection(request: Request) -> Iterator[Connection]:
    conn = ConnectedOnFirstUse(request.app.state.read_engine)
    try:
        yield conn  # type: ignore[misc]
    finally:
        conn.close()


# Released when the endpoint returns, not after the response is sent: the pool stays free.
ReadDb = Annotated[Connection, Depends(read_connection, scope="function")]


# Bounded so that every offset fits a 64-bit column in every store; past the last page a list
# is simply empty, and no list of Campus has a millionth page of a hundred.
MAX_PAGE = 1_000_000
MAX_INDEX = 1_000_000_000  # a course's media are numbered from 1
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Query(alias="pageSize", ge=1, le=100)]
