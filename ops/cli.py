"""The ``campus`` command line: serve, relay, project, notify, schedule, projections, audit,
users, openapi."""

from __future__ import annotations

import os
import signal
import threading
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table

from infra.context import correlated
from infra.eventstore import audit
from infra.production import refuse_unless_ready
from infra.settings import Settings
from ops.bench.cli import bench_cli
from ops.bootstrap import Campus
from ops.projections_cli import projections_cli
from ops.served import reachable_url, recorded
from ops.startup import alone, refusals, start
from ops.workers.metrics import serve_projection_metrics

cli = typer.Typer(
    help="Campus: an event-sourced online learning platform backend.", no_args_is_help=True
)
audit_cli = typer.Typer(help="Replay an aggregate's history.", no_args_is_help=True)
users_cli = typer.Typer(help="Manage users from the command line.", no_args_is_help=True)
cli.add_typer(projections_cli, name="projections")
cli.add_typer(audit_cli, name="audit")
cli.add_typer(users_cli, name="users")
cli.add_typer(bench_cli, name="bench")
console = Console()
DEMO_REFUSED = (
    "seed-demo refuses to run in production mode (CAMPUS_MODE=production): it creates an admin "
    "with a published password. Create admins with `campus users create-admin`."
)


def until_signalled() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop


@cli.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    role: Annotated[str, typer.Option(help="all, read or write")] = "all",
    workers: int = 1,
) -> None:
    """Serve the HTTP API (the embedded default when nothing is configured)."""
    if role not in ("all", "read", "write"):
        raise typer.BadParameter("role must be all, read or write")
    settings = alone(
        "holds its stores: stop it first, or configure PostgreSQL, Kafka and Redis to run more"
    )
    with refusals():  # here, not in each uvicorn worker's traceback
        refuse_unless_ready(settings)
    if settings.is_embedded and workers != 1:
        raise typer.BadParameter(
            "the embedded default runs one worker; configure PostgreSQL, "
            "Kafka and Redis to run more"
        )
    os.environ["CAMPUS_ROLE"] = role
    os.environ.update(served_links(settings, host, port))
    with recorded(settings, host, port) if settings.is_embedded else nullcontext():
        run_uvicorn(settings, host, port, workers)


def run_uvicorn(settings: Settings, host: str, port: int, workers: int) -> None:
    import uvicorn

    # uvicorn stops gracefully on SIGTERM, then raises it again for the handler it found:
    # this one unwinds the stack (the server record goes) where the default would just die.
    signal.signal(signal.SIGTERM, terminated)
    uvicorn.run(
        "ops.asgi:app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        # X-Forwarded-For/-Proto count only from the proxies configured, never from any peer.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
    )


def terminated(signum: int, _: object) -> None:
    raise SystemExit(128 + signum)


def served_links(settings: Settings, host: str, port: int) -> dict[str, str]:
    """Links (certificates, reports, checkouts) name the address served, unless a public base
    URL is configured (behind a proxy it must be)."""
    if settings.public_base_url and "public_base_url" in settings.model_fields_set:
        return {}
    return {"CAMPUS_PUBLIC_BASE_URL": reachable_url(host, port)}


@cli.command()
def relay() -> None:
    """Publish the event store's notification logs to Kafka, resuming where it stopped."""
    from infra.eventstore.commit_listener import listen_for_commits
    from infra.kafka import KafkaEventPublisher, ensure_topic
    from ops.workers.loop import when_ready
    from ops.workers.metrics import RelayCollector
    from ops.workers.relay import Relay

    campus, stop = start(role="relay"), until_signalled()

    def connected() -> KafkaEventPublisher:
        ensure_topic(campus.settings)
        return KafkaEventPublisher(campus.settings)

    if publisher := when_ready("relay: connecting to Kafka", connected, stop):
        settings, apps = campus.settings, list(campus.apps.values())
        relay = Relay(apps, publisher, campus.read_engine, settings.relay_batch_size)
        campus.metrics.register(RelayCollector(relay))
        campus.metrics.serve(settings.metrics_port)
        listener = listen_for_commits(settings, apps)
        if listener:  # woken by each commit: the poll only catches a notification lost
            relay.run(stop, settings.relay_fallback_poll_seconds, listener)
            listener.close()
        else:
            relay.run(stop, settings.relay_poll_interval_seconds)
        publisher.close()
    campus.close()


@cli.command()
def project(
    name: Annotated[str, typer.Argument(help="a projection, the group read-models, or analytics")],
) -> None:
    """Run a projector: from Kafka in production, from the event store when embedded."""
    from ops.workers.kafka_projector import run_kafka_projector

    campus = start(alone("runs the projectors in its process", "project"))
    stop, runner = until_signalled(), campus.runner(name)
    serve_projection_metrics(campus, runner)
    if campus.settings.uses_kafka:
        run_kafka_projector(campus.settings, runner, name, list(campus.apps), stop)
    else:
        campus.follower(name).run(stop, campus.settings.follower_poll_interval_seconds)
    campus.close()


@cli.command()
def notify() -> None:
    """Send notifications: react to events, deliver e-mail, in-app and push."""
    from ops.workers.kafka_projector import run_kafka_projector
    from ops.workers.notifier import NOTIFIER, NotifierRunner

    campus = start(alone("runs the sender in its process", "notify"))
    stop, runner = until_signalled(), NotifierRunner(campus)
    serve_projection_metrics(campus, runner)
    if campus.settings.uses_kafka:
        run_kafka_projector(campus.settings, runner, NOTIFIER, list(campus.apps), stop)
    else:
        campus.notifier().run(stop, campus.settings.follower_poll_interval_seconds)
    campus.close()


@cli.command()
def schedule() -> None:
    """Run the timers: course reminders for idle learners, taking back lapsed review leases,
    settling refunds in flight, taking the course back after a full refund, giving up
    checkouts nobody finished."""
    from ops.workers.scheduler import report_refunds, run_schedule

    campus = start(alone("runs the timers in its process", "schedule"))
    report_refunds(campus)
    campus.metrics.serve(campus.settings.metrics_port)
    run_schedule(campus, until_signalled())
    campus.close()


@audit_cli.command("history")
def audit_history(aggregate_id: UUID) -> None:
    """Every event of an aggregate: time, type, data, who, correlation id."""
    campus = start()
    app = find_app(campus, aggregate_id)
    table = Table("v", "time", "event", "data", "who", "correlation id")
    for e in audit.history_with_parts(app, aggregate_id):
        table.add_row(
            str(e.version),
            e.timestamp.isoformat(),
            e.event_type,
            str(e.data),
            e.actor_id or "-",
            e.correlation_id or "-",
        )
    console.print(table)
    campus.close()


@audit_cli.command("state")
def audit_state(
    aggregate_id: UUID, at: Annotated[str, typer.Option(help="VERSION or ISO time")]
) -> None:
    """An aggregate's state as of a version or a moment."""
    campus = start()
    app = find_app(campus, aggregate_id)
    try:
        version = audit.version_at(audit.history(app, aggregate_id), at)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    table = Table("attribute", "value", title=f"{aggregate_id} at version {version}")
    for key, value in audit.state_at(app, aggregate_id, version).items():
        table.add_row(key, str(value))
    console.print(table)
    campus.close()


def find_app(campus: Campus, aggregate_id: UUID):
    try:
        return audit.owning_app(list(campus.apps.values()), aggregate_id)
    except audit.UnknownAggregateError:
        console.print(f"[red]no events for {aggregate_id}[/red]")
        raise typer.Exit(1) from None


@users_cli.command("create-admin")
def create_admin(
    email: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    name: str = "Administrator",
) -> None:
    """Create an admin account (how the first admin comes to be)."""
    from commands.users.register_user import RegisterUser
    from domain.errors import DomainError
    from domain.users.roles import Role

    campus = start()
    try:
        with correlated("cli"):
            user_id = campus.bus.handle(RegisterUser(email, password, name, role=Role.ADMIN))
    except DomainError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    finally:
        campus.close()
    console.print(f"admin {email} created: {user_id}")


@cli.command("seed-demo")
def seed_demo() -> None:
    """Create demo users and published courses, to explore the API with (development only)."""
    from domain.errors import DomainError
    from ops.seed_demo import seed

    settings = Settings()
    if settings.mode == "production":
        # The demo admin's password is in the source code: anyone could sign in as that admin.
        typer.echo(DEMO_REFUSED, err=True)
        raise typer.Exit(1)
    campus = start(settings)
    try:
        with correlated("cli"):
            logins = seed(campus)
    except DomainError as error:
        console.print(f"[red]{error}[/red] (already seeded?)")
        raise typer.Exit(1) from None
    finally:
        campus.close()
    console.print("Demo data created. Sign in with:", *logins, sep="\n  ")


@cli.command()
def openapi(output: Path = Path("docs/api-spec.yaml")) -> None:
    """Write the OpenAPI 3 description of the API (docs/api-spec.yaml)."""
    from ops.openapi import render

    output.write_text(render())
    console.print(f"wrote {output}")


@cli.command("events-doc")
def events_doc(output: Path = Path("docs/events.md")) -> None:
    """Write the catalog of published events and their fields (docs/events.md)."""
    from ops.events_doc import render

    output.write_text(render())
    console.print(f"wrote {output}")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
