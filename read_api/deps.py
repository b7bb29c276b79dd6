"""Dependencies of read routers: read-model queries run in a thread, and the bounds of paging.

Two ways to reach the read models. ``Reads`` runs a query function in one worker thread that
opens, uses and returns its connection: the endpoint is ``async``, so a read takes one thread
hop in all. ``ReadDb`` gives a ``def`` endpoint a connection opened in one thread and returned
in another, with the endpoint in a third; it is left to the reads no one waits on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Concatenate, ParamSpec, TypeVar

from fastapi import Depends, Query, Request
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool

P = ParamSpec("P")
T = TypeVar("T")


@contextmanager
def connected(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        # PostgreSQL reads in READ COMMITTED, where each statement sees its own snapshot inside
        # a transaction too: BEGIN and the ROLLBACK on return were two round trips for nothing.
        # (SQLite's transaction is one snapshot for all its statements: it keeps it.)
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT")
        yield conn


class ReadModels:
    """Runs a query function on a read-model connection, all of it in one worker thread."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def query(
        self, run: Callable[Concatenate[Connection, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        return await run_in_threadpool(self.run_connected, run, *args, **kwargs)

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
    with connected(request.app.state.read_engine) as conn:
        yield conn


# Released when the endpoint returns, not after the response is sent: the pool stays free.
ReadDb = Annotated[Connection, Depends(read_connection, scope="function")]


# Bounded so that every offset fits a 64-bit column in every store; past the last page a list
# is simply empty, and no list of Campus has a millionth page of a hundred.
MAX_PAGE = 1_000_000
MAX_INDEX = 1_000_000_000  # a course's media are numbered from 1
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Query(alias="pageSize", ge=1, le=100)]
