"""Read-model databases (SQLAlchemy Core): one engine factory for SQLite and PostgreSQL,
and the lock that keeps a projection's writers (live projector, rebuild) apart."""

from __future__ import annotations

import fcntl
import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import Connection, Dialect, Engine, Table, create_engine, event, text
from sqlalchemy.schema import CreateIndex, CreateTable, sort_tables

from infra.roles import connection_name
from infra.settings import Settings


def create_read_engine(settings: Settings) -> Engine:
    url = settings.read_models_url
    if url.startswith("postgres"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        # No overflow: an overflow connection is closed on return, so a burst would open and
        # close backends by the second; past the role's budget a query waits for a connection.
        return create_engine(
            url,
            pool_size=settings.pools.read_models,
            max_overflow=0,
            # No ping per checkout: a dead connection is found by its first statement, which
            # invalidates the pool, and the transient fault is handled where it surfaces (the
            # read runner runs its read again; workers retry; the API answers 503 to retry).
            connect_args={"application_name": connection_name(settings.role)},
        )
    path = Path(settings.data_dir) / "read-models.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})
    event.listen(engine, "connect", sqlite_pragmas)
    return engine


def sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the projector
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def ensure_tables(engine: Engine, tables: Sequence[Table]) -> None:
    """Create what is missing of ``tables`` and their indexes, in one transaction.

    ``MetaData.create_all`` asks the database about each table and compiles its DDL every
    time; every process start (and every embedded Campus a test builds) paid that for the
    forty-odd read-model tables. The DDL is compiled once per process and made idempotent.
    """
    with engine.begin() as conn:
        for statement in compiled_ddl(engine.dialect, tuple(tables)):
            conn.exec_driver_sql(statement)


def compiled_ddl(dialect: Dialect, tables: tuple[Table, ...]) -> tuple[str, ...]:
    key = (dialect.name, tables)  # each engine has its own dialect object; the SQL is the same
    if key not in COMPILED_DDL:
        statements = []
        for table in sort_tables(tables):
            statements.append(CreateTable(table, if_not_exists=True))
            statements.extend(CreateIndex(ix, if_not_exists=True) for ix in table.indexes)
        COMPILED_DDL[key] = tuple(str(s.compile(dialect=dialect)) for s in statements)
    return COMPILED_DDL[key]


COMPILED_DDL: dict[tuple[str, tuple[Table, ...]], tuple[str, ...]] = {}


@contextmanager
def schema_lock(settings: Settings) -> Iterator[None]:
    """Serialize table creation across processes starting together: concurrent
    CREATE TABLE IF NOT EXISTS on PostgreSQL can still collide on its catalog."""
    if not settings.uses_postgres:
        yield
        return
    import psycopg  # here, not at the top: the embedded default never loads PostgreSQL's driver

    name = connection_name(settings.role)
    with psycopg.connect(settings.database_url, autocommit=True, application_name=name) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (lock_key("schema"),))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (lock_key("schema"),))


def lock_key(name: str) -> int:
    return zlib.crc32(f"campus-projection:{name}".encode())


@contextmanager
def projection_locked(conn: Connection, name: str, data_dir: Path) -> Iterator[None]:
    """Hold the projection's lock for the rest of the transaction on ``conn``."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(name)})
        yield
        return
    with file_lock(data_dir, name):
        yield


@contextmanager
def projection_held(engine: Engine, names: Sequence[str], data_dir: Path) -> Iterator[None]:
    """Hold the projections' locks across many transactions (a rebuild), in the order given.

    On PostgreSQL every lock is held by one connection: a group's rebuild must leave the pool
    the connections it works with, whatever the number of projections in the group."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            for name in names:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock_key(name)})
            conn.commit()
            try:
                yield
            finally:
                for name in reversed(names):
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(name)})
                conn.commit()
        return
    with ExitStack() as held:
        for name in names:
            held.enter_context(file_lock(data_dir, name))
        yield


def one_at_a_time(engine: Engine, data_dir: Path) -> Callable[[str], AbstractContextManager[None]]:
    """Sections of commands held one at a time across processes, by name, with the locks
    the projections' writers take (an advisory lock, or a file lock when embedded)."""
    return lambda name: projection_held(engine, [name], data_dir)


@contextmanager
def file_lock(data_dir: Path, name: str) -> Iterator[None]:
    """The lock of ``name`` under ``data_dir``, for processes and threads alike (each call opens
    the file anew: an flock excludes other open files, even of this process). Taken for every
    projection of every batch, so it stays on plain file descriptors and strings."""
    descriptor = open_creating(os.path.join(data_dir, "locks", f"{name}.lock"))
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # which releases the lock


def open_creating(path: str) -> int:
    """Open ``path``, making it and its folder the first time."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
