"""Dependencies of read routers: a read-model connection, and the bounds of paging."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy import Connection


def read_connection(request: Request) -> Iterator[Connection]:
    with request.app.state.read_engine.connect() as conn:
        # PostgreSQL reads in READ COMMITTED, where each statement sees its own snapshot inside
        # a transaction too: BEGIN and the ROLLBACK on return were two round trips for nothing.
        # (SQLite's transaction is one snapshot for all its statements: it keeps it.)
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT")
        yield conn


# Released when the endpoint returns, not after the response is sent: the pool stays free.
ReadDb = Annotated[Connection, Depends(read_connection, scope="function")]


# Bounded so that every offset fits a 64-bit column in every store; past the last page a list
# is simply empty, and no list of Campus has a millionth page of a hundred.
MAX_PAGE = 1_000_000
MAX_INDEX = 1_000_000_000  # a course's media are numbered from 1
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Query(alias="pageSize", ge=1, le=100)]
