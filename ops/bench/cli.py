"""``campus bench writes|lag|connections|rebuild|reads|ryw|checkouts|analytics|notifications``:
each prints a table, then one JSON line; ``campus bench all`` runs them all and writes the
summary."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console

from ops.bench.database import (
    KAFKA_SERVERS,
    POSTGRES_URL,
    REDIS_URL,
    Services,
    ServiceUnavailableError,
)
from ops.bench.pgbench import PgbenchError
from ops.bench.wrk import WrkError

bench_cli = typer.Typer(
    help="Benchmarks, each beside an anchor measured in the same run.", no_args_is_help=True
)
# Wide enough for the tables when the output goes to a file or a pipe.
console = Console() if sys.stdout.isatty() else Console(width=150)

PostgresUrl = Annotated[str, typer.Option(help="a PostgreSQL server (a fresh database per run)")]
RedisUrl = Annotated[str, typer.Option(help="Redis")]
Kafka = Annotated[str, typer.Option(help="Kafka bootstrap servers (a private topic per run)")]
Workers = Annotated[int, typer.Option(help="uvicorn workers per API server")]
Seconds = Annotated[float, typer.Option("--duration", help="seconds per measurement")]
Env = Annotated[
    list[str] | None, typer.Option("--env", help="KEY=VALUE for the servers (repeatable)")
]


def interrupted(*_: object) -> None:
    raise KeyboardInterrupt


def guarded(work: Callable[[], None]) -> None:
    """Run a benchmark; on Ctrl-C or SIGTERM it still stops its servers and drops its database."""
    signal.signal(signal.SIGTERM, interrupted)
    try:
        work()
    except (ServiceUnavailableError, WrkError, PgbenchError) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None


def parse_env(pairs: list[str] | None) -> dict[str, str]:
    env = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"--env takes KEY=VALUE, not {pair!r}")
        env[key] = value
    return env


def parse_concurrency(text: str) -> list[int]:
    try:
        levels = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter("--concurrency takes numbers like 8,16,32") from None
    if not levels or min(levels) < 1:
        raise typer.BadParameter("--concurrency takes positive numbers like 8,16,32")
    return levels


def parse_events(text: str) -> list[int]:
    """Event counts like ``1000000,10000000``; each a multiple of 10 (ten facts per enrollment)."""
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        sizes = []
    if not sizes or any(n < 10 or n % 10 for n in sizes):
        raise typer.BadParameter("--events takes multiples of 10 like 1000000,10000000")
    return sizes


@bench_cli.command()
def writes(
    concurrency: Annotated[str, typer.Option(help="client counts, comma-separated")] = "8,16,32",
    seconds: Seconds = 10,
    workers: Workers = 2,
    argon2: Annotated[str, typer.Option(help="production or fast")] = "production",
    env: Env = None,
    compare_group_commit: Annotated[
        bool, typer.Option(help="run CAMPUS_GROUP_COMMIT=false and =true side by side")
    ] = False,
    register: Annotated[bool, typer.Option(help="also measure registrations")] = False,
    postgres_url: PostgresUrl = POSTGRES_URL,
    redis_url: RedisUrl = REDIS_URL,
    kafka: Kafka = KAFKA_SERVERS,
) -> None:
    """Profile and progress updates over HTTP beside a bare endpoint, pgbench and save()."""
    from ops.bench.writes import WritesOptions, run

    if argon2 not in ("production", "fast"):
        raise typer.BadParameter("--argon2 is production or fast")
    options = WritesOptions(
        Services(postgres_url, redis_url, kafka),
        parse_concurrency(concurrency),
        seconds,
        workers,
        argon2,
        parse_env(env),
        compare_group_commit,
        register,
    )
    guarded(lambda: run(options, console))


@bench_cli.command(name="all")
def all_(
    only: Annotated[str, typer.Option(help="some benchmarks, comma-separated")] = "",
) -> None:
    """Every benchmark with short settings (about ten minutes), then the summary table,
    written into docs/performance.md (not when --only picks some)."""
    from ops.bench.all import SHORT, run

    names = [part.strip() for part in only.split(",") if part.strip()] or None
    if names and not set(names) <= set(SHORT):
        raise typer.BadParameter(f"--only takes some of {','.join(SHORT)}")
    guarded(lambda: run(console, names))


@bench_cli.command()
def lag(
    rate: Annotated[float, typer.Option(help="profile updates per second, open loop")] = 500,
    seconds: Annotated[float, typer.Option("--duration", help="seconds of load")] = 20,
    users: Annotated[int, typer.Option(help="users the updates rotate over")] = 1000,
    workers: Workers = 2,
    env: Env = None,
    postgres_url: PostgresUrl = POSTGRES_URL,
    redis_url: RedisUrl = REDIS_URL,
    kafka: Kafka = KAFKA_SERVERS,
) -> None:
    """Commit to visible on the read API, through relay, Kafka and projector."""
    from ops.bench.lag import LagOptions, run

    services = Services(postgres_url, redis_url, kafka)
    options = LagOptions(services, rate, seconds, users, workers, parse_env(env))
    guarded(lambda: run(options, console))


@bench_cli.command()
def connections(
    rate: Annotated[float, typer.Option(help="profile updates per second meanwhile")] = 100,
    seconds: Seconds = 15,
    env: Env = None,
) -> None:
    """PostgreSQL connections of the production deployment under load, per process and in all
    (the services of ops/services/up.sh)."""
    from ops.bench.connections import run
    from ops.bench.lag import LagOptions

    options = LagOptions(Services(), rate, seconds, users=500, workers=4, env=parse_env(env))
    guarded(lambda: run(options, console))


@bench_cli.command()
def rebuild(
    events: Annotated[int, typer.Option(help="events to generate and replay")] = 1_000_000,
    updates_per_user: Annotated[int, typer.Option(help="profile updates per user")] = 4,
    env: Env = None,
    postgres_url: PostgresUrl = POSTGRES_URL,
) -> None:
    """Replay a generated store into fresh read models, beside COPY of the same rows."""
    from ops.bench.rebuild import RebuildOptions, run

    options = RebuildOptions(postgres_url, events, updates_per_user, parse_env(env))
    guarded(lambda: run(options, console))


@bench_cli.command()
def reads(
    concurrency: Annotated[str, typer.Option(help="client counts, comma-separated")] = "8,32",
    seconds: Seconds = 10,
    workers: Workers = 2,
    endpoints: Annotated[
        str, typer.Option(help="which reads, comma-separated")
    ] = "profile,catalog,structure,dashboard",
    env: Env = None,
    postgres_url: PostgresUrl = POSTGRES_URL,
    redis_url: RedisUrl = REDIS_URL,
    kafka: Kafka = KAFKA_SERVERS,
) -> None:
    """The read endpoints (profile, catalog page, course structure, dashboard), each beside a
    bare FastAPI endpoint with the same server settings."""
    from ops.bench.reads import ENDPOINTS, ReadsOptions, run

    asked = tuple(part.strip() for part in endpoints.split(",") if part.strip())
    if not asked or not set(asked) <= set(ENDPOINTS):
        raise typer.BadParameter(f"--endpoints takes some of {','.join(ENDPOINTS)}")
    services = Services(postgres_url, redis_url, kafka)
    options = ReadsOptions(services, parse_concurrency(concurrency), seconds, workers, asked)
    guarded(lambda: run(options, parse_env(env), console))


@bench_cli.command()
def ryw(
    tries: int = 200,
    load_clients: int = 8,
    env: Env = None,
    postgres_url: PostgresUrl = POSTGRES_URL,
    redis_url: RedisUrl = REDIS_URL,
    kafka: Kafka = KAFKA_SERVERS,
) -> None:
    """Create-then-read with no header, under load: how many reads miss their own write."""
    from ops.bench.ryw import RywOptions, run

    options = RywOptions(Services(postgres_url, redis_url, kafka), tries, load_clients)
    guarded(lambda: run(options, parse_env(env), console))


@bench_cli.command()
def checkouts(
    concurrency: Annotated[str, typer.Option(help="thread counts, comma-separated")] = "1,8,32",
    seconds: Seconds = 10,
    env: Env = None,
    postgres_url: PostgresUrl = POSTGRES_URL,
) -> None:
    """Card checkouts through the command bus, with and without one hot coupon."""
    from ops.bench.checkouts import CheckoutsOptions, run

    options = CheckoutsOptions(
        postgres_url, parse_concurrency(concurrency), seconds, parse_env(env)
    )
    guarded(lambda: run(options, console))


@bench_cli.command()
def analytics(
    events: Annotated[
        str, typer.Option(help="event counts, comma-separated, multiples of 10")
    ] = "1000000,10000000",
    courses: Annotated[int, typer.Option(min=1, max=1_000_000, help="courses")] = 1_000,
    repeat: Annotated[int, typer.Option(min=1, help="timed runs after the cold one")] = 5,
    postgres_url: PostgresUrl = POSTGRES_URL,
) -> None:
    """The course-popularity question on chDB facts beside the PostgreSQL read models."""
    from ops.bench.analytics import AnalyticsOptions, run

    options = AnalyticsOptions(postgres_url, parse_events(events), courses, repeat)
    guarded(lambda: run(options, console))


@bench_cli.command()
def notifications(
    workers: Annotated[str, typer.Option(help="delivery workers, comma-separated")] = "1,8,32",
    messages: Annotated[int, typer.Option(min=1, help="e-mails per worker count")] = 2000,
    env: Env = None,
    postgres_url: PostgresUrl = POSTGRES_URL,
) -> None:
    """E-mail delivered by the sender (requested -> sent) beside smtplib to the same sink."""
    from ops.bench.notifications import NotificationsOptions, run

    options = NotificationsOptions(
        postgres_url, parse_concurrency(workers), messages, parse_env(env)
    )
    guarded(lambda: run(options, console))


@bench_cli.command()
def embedded(
    starts: Annotated[int, typer.Option(min=1, help="Campuses started and stopped")] = 50,
    writes: Annotated[int, typer.Option(min=1, help="writes, each read back")] = 300,
) -> None:
    """CPU of the embedded default: per start, per write read back, per idle follower turn."""
    from ops.bench.embedded import EmbeddedOptions, run

    guarded(lambda: run(EmbeddedOptions(starts, writes), console))
