"""Rebuild read models beside the live ones, and swap them in with one transaction.

A rebuild replays the whole event store: dropping the tables the read API serves from would
leave readers with empty answers for minutes. Instead the replay writes into empty copies of
the projections' tables (and of their positions and parked events) in a schema of their own,
``campus_rebuild_<key>`` (one per set of projections, so two rebuilds never share copies):
another schema of the same PostgreSQL database, or on SQLite a second file attached under that
name. The projections' code is unchanged: SQLAlchemy's ``schema_translate_map`` sends every
statement to the copies.

Once the copies have caught up to the head, under the projections' lock, one transaction
replaces the live rows with the copies' rows, table by table. Readers keep reading the old
rows until it commits (PostgreSQL's MVCC, SQLite's WAL), then see the new rows. A reader never
waits on the swap and never sees a table half copied.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, TextClause, bindparam, create_engine, event, text

from infra.database import sqlite_pragmas
from projections.metadata import metadata
from projections.parking import parked_events
from projections.tracking import tracking


def schema_for(names: Sequence[str]) -> str:
    return f"campus_rebuild_{zlib.crc32(','.join(sorted(names)).encode()):08x}"


def shadow_engine(engine: Engine, names: Sequence[str]) -> Engine | None:
    """An engine whose statements reach the copies for projections ``names``; None where
    copies cannot be attached (an in-memory SQLite database)."""
    schema = schema_for(names)
    translated = {"schema_translate_map": {None: schema}}
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
        return engine.execution_options(**translated)
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    copies = Path(database).with_name(f"{Path(database).name}.{schema}")
    made = create_engine(engine.url, connect_args={"timeout": 30})
    event.listen(made, "connect", sqlite_pragmas)

    @event.listens_for(made, "connect")
    def attach(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"ATTACH DATABASE '{copies}' AS {schema}")

    return made.execution_options(**translated)


def schema_of(shadow: Engine) -> str:
    return str(shadow.get_execution_options()["schema_translate_map"][None])


def bookkeeping() -> list[Table]:
    return [tracking, parked_events]


def make_empty(shadow: Engine, tables: Sequence[Table]) -> None:
    """Empty copies of ``tables`` and of the positions and parked events (a copy left by a
    rebuild that stopped half way is dropped first)."""
    every = [*bookkeeping(), *tables]
    with shadow.begin() as conn:
        metadata.drop_all(conn, tables=every)
        metadata.create_all(conn, tables=every)


def swap_in(shadow: Engine, tables: Sequence[Table], names: Sequence[str]) -> None:
    """Replace the live rows of ``tables``, and the positions and parked events of projections
    ``names``, with the copies', in one transaction; then drop the copies."""
    copies = schema_of(shadow)
    with shadow.begin() as conn:
        live = live_schema(conn)
        for table in tables:
            conn.exec_driver_sql(f"DELETE FROM {live}.{table.name}")
            copy_rows(conn, table, live, copies)
        for table in bookkeeping():
            deleted = f"DELETE FROM {live}.{table.name} WHERE projection IN :names"
            conn.execute(of_projections(deleted), {"names": list(names)})
            copy_rows(conn, table, live, copies, names)
        metadata.drop_all(conn, tables=[*bookkeeping(), *tables])


def live_schema(conn: Connection) -> str:
    if conn.dialect.name == "postgresql":
        return str(conn.exec_driver_sql("SELECT current_schema()").scalar_one())
    return "main"


def of_projections(sql: str) -> TextClause:
    """``sql`` whose ``:names`` is a list of projection names, bound as parameters."""
    return text(sql).bindparams(bindparam("names", expanding=True))


def copy_rows(
    conn: Connection, table: Table, live: str, copies: str, names: Sequence[str] | None = None
) -> None:
    """Copy the copies' rows of ``table`` into the live one (only projections ``names``')."""
    # Named columns: a live table a migration extended has its columns in another order.
    columns = ", ".join(f'"{column.name}"' for column in table.columns)
    copied = (
        f"INSERT INTO {live}.{table.name} ({columns}) SELECT {columns} FROM {copies}.{table.name}"
    )
    if names is None:
        conn.exec_driver_sql(copied)
    else:
        conn.execute(of_projections(copied + " WHERE projection IN :names"), {"names": list(names)})
