"""``campus bench rebuild``: replay a large event store into fresh read models.

The store is generated fast, not through commands: User.Registered and User.ProfileUpdated
events made by the domain's own aggregates, stored by the application's mapper, bulk-loaded
into its events table with ``COPY`` (notification ids from the table's sequence). Then
``projections.rebuild.rebuild`` is timed, and beside it PostgreSQL ``COPY`` of the very rows
the rebuild produced into an identical empty table: the floor of writing that result. Last, the
read models are rebuilt once more while a reader counts the users over and over, as the read
API would: every read must answer, and none may count fewer users than the first rebuild made.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from sqlalchemy import func, select

from commands.applications import Identity
from domain.users.user import User
from ops.bench.database import fresh_database
from ops.bench.report import Row, show, verdict
from ops.bench.servers import campus_env, settings_of
from ops.bootstrap import Campus, bootstrap
from projections.rebuild import rebuild
from projections.users import users

TARGET_RATE = 20_000


@dataclass(frozen=True)
class RebuildOptions:
    postgres_url: str
    events: int = 1_000_000
    updates_per_user: int = 4
    env: dict[str, str] = field(default_factory=dict)


def user_events(n: int, updates: int) -> list:
    user = User(f"learner{n}@example.com", None, f"Learner {n}", None, None, "student")
    for k in range(updates):
        user.update_profile(f"Learner {n} ({k})", f"https://example.com/{n}/{k}.png")
    return user.collect_events()


def generate(app: Identity, events: int, updates: int) -> Iterator[tuple]:
    """COPY rows of ``events`` stored events, user after user."""
    made, n = 0, 0
    while made < events:
        mine = min(updates, events - made - 1)  # the last user may get fewer, to end exactly
        for event in user_events(n, mine):
            stored = app.mapper.to_stored_event(event)
            yield stored.originator_id, stored.originator_version, stored.topic, stored.state
        made, n = made + 1 + mine, n + 1


def load(database_url: str, app: Identity, events: int, updates: int) -> None:
    columns = "originator_id, originator_version, topic, state"
    table = app.recorder.events_table_name
    with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
        sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
        with cursor.copy(sql) as copy:
            copy.set_types(["uuid", "int8", "text", "bytea"])
            for row in generate(app, events, updates):
                copy.write_row(row)


def copy_anchor(database_url: str) -> Row:
    """COPY the rebuilt users rows into an identical empty table (indexes included)."""
    with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
        cursor.execute("CREATE TABLE users_copy (LIKE users INCLUDING ALL)")
        with cursor.copy("COPY users TO STDOUT (FORMAT BINARY)") as out:
            data = b"".join(bytes(chunk) for chunk in out)
        conn.commit()
        started = time.perf_counter()
        with cursor.copy("COPY users_copy FROM STDIN (FORMAT BINARY)") as into:
            into.write(data)
        conn.commit()
        seconds = time.perf_counter() - started
        rows = cursor.execute("SELECT count(*) FROM users_copy").fetchone()[0]
    return Row("COPY of the same rows (anchor)", 0, rows, seconds, unit="rows")


def replay(campus: Campus, console: Console) -> tuple[int, float]:
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("rebuilding read models", total=None)
        started = time.perf_counter()
        done = rebuild(
            campus.runner(),
            list(campus.apps.values()),
            progress=lambda n, total: bar.update(task, completed=n, total=total),
        )
        return done, time.perf_counter() - started


def run(options: RebuildOptions, console: Console) -> None:
    with (
        fresh_database(options.postgres_url) as database,
        tempfile.TemporaryDirectory(prefix="campus-bench-") as data_dir,
    ):
        env = campus_env(database, "", "", options.env | {"CAMPUS_DATA_DIR": data_dir})
        campus = bootstrap(settings_of(env))
        try:
            console.print(f"generating {options.events:,} events ...")
            started = time.perf_counter()
            load(database, campus.identity, options.events, options.updates_per_user)
            seconds = time.perf_counter() - started
            generated = Row("generate and COPY the event store", 0, options.events, seconds)
            done, seconds = replay(campus, console)
            served = read_throughout(campus, console)
        finally:
            campus.close()
        rebuilt = Row("rebuild: replay into read models", 0, done, seconds)
        anchor = copy_anchor(database)
    generated.unit = rebuilt.unit = "events"
    report(options, [generated, rebuilt, anchor, served], console)


def read_throughout(campus: Campus, console: Console) -> Row:
    """Rebuild again while a reader counts the users; errors are reads that failed or counted
    fewer users than there were."""
    with campus.read_engine.connect() as conn:
        there = conn.execute(select(func.count()).select_from(users)).scalar_one()
    rebuilding = threading.Thread(target=replay, args=(campus, console))
    reads, errors, started = 0, 0, time.perf_counter()
    rebuilding.start()
    while rebuilding.is_alive():
        try:
            with campus.read_engine.connect() as conn:
                counted = conn.execute(select(func.count()).select_from(users)).scalar_one()
            errors += counted < there
        except Exception:
            errors += 1
        reads += 1
        time.sleep(0.005)  # a reader, not a load: the rebuild keeps its pace
    rebuilding.join()
    seconds = time.perf_counter() - started
    return Row("reads of the users during a second rebuild", 1, reads, seconds, errors=errors)


def report(options: RebuildOptions, rows: list[Row], console: Console) -> None:
    _, rebuilt, anchor, served = rows
    notes = [
        f"store: {options.events:,} events, users with 1 registration and "
        f"{options.updates_per_user} profile updates each; read model: {anchor.count:,} users",
        f"COPY writes the rebuild's result in {anchor.seconds:.1f} s, the rebuild takes "
        f"{rebuilt.seconds:.1f} s ({rebuilt.seconds / anchor.seconds:,.0f}x)",
        f"target: ≥ {TARGET_RATE:,} events/s: {verdict(rebuilt.rate >= TARGET_RATE)} "
        f"({rebuilt.rate:,.0f} events/s)",
        f"while rebuilding again: {served.count:,} reads, {served.errors:,} failed or counted "
        f"fewer than {anchor.count:,} users",
    ]
    notes += [f"--env {k}={v}" for k, v in options.env.items()]
    show(
        console,
        "rebuild",
        "rebuild: events replayed into read models",
        rows,
        notes,
        target_met=rebuilt.rate >= TARGET_RATE,
    )
