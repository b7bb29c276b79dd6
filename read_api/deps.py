"""Dependencies of read routers: a read-model connection, and the bounds of paging."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from sqlalchemy import Connection, Engine


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
            self.conn = self.engine.connect()
            # PostgreSQL reads in READ COMMITTED, where each statement sees its own snapshot
            # inside a transaction too: BEGIN and the ROLLBACK on return were two round trips
            # for nothing. (SQLite's transaction is one snapshot for all its statements.)
            if self.conn.dialect.name == "postgresql":
                self.conn.execution_options(isolation_level="AUTOCOMMIT")
        return getattr(self.conn, name)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


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
