"""Dependencies of read routers: a read-model connection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Connection


def read_connection(request: Request) -> Iterator[Connection]:
    with request.app.state.read_engine.connect() as conn:
        yield conn


# Released when the endpoint returns, not after the response is sent: the pool stays free.
ReadDb = Annotated[Connection, Depends(read_connection, scope="function")]
