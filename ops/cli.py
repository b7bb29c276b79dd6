"""The ``campus`` command line: serve, relay, project, notify, schedule, projections, audit,
users, openapi."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from infra.logging import configure_logging
from infra.production import ProductionConfigurationError, refuse_unless_ready
from infra.roles import Role
from infra.settings import Settings
from ops import audit
from ops.bench.cli import bench_cli
from ops.bootstrap import Campus, bootstrap_when_ready
from ops.worker_metrics import serve_projection_metrics

cli = typer.Typer(
    help="Campus: an event-sourced online learning platform backend.", no_args_is_help=True
)
projections_cli = typer.Typer(
    help="Inspect and rebuild read models and analytics.", no_args_is_help=True
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


def start(settings: Settings | None = None, role: Role = "cli") -> Campus:
    """Bootstrap for one command: ``role`` decides which pools it may open (infra/roles.py)."""
    settings = settings or Settings(role=role)
    configure_logging(settings.log_level, settings.log_json)
    with refusals():
        return bootstrap_when_ready(settings)


@contextmanager
def refusals() -> Iterator[None]:
    """A configuration production mode refuses: print every problem, exit non-zero."""
    try:
        yield
    except ProductionConfigurationError as refused:
        typer.echo(str(refused), err=True)
        raise typer.Exit(1) from None


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
    import uvicorn

    if role not in ("all", "read", "write"):
        raise typer.BadParameter("role must be all, read or write")
    settings = Settings()
    with refusals():  # here, not in each uvicorn worker's traceback
        refuse_unless_ready(settings)
    if settings.is_embedded and workers != 1:
        raise typer.BadParameter(
            "the embedded default runs one worker; configure PostgreSQL, "
            "Kafka and Redis to run more"
        )
    os.environ["CAMPUS_ROLE"] = role
    os.environ.update(served_links(settings, host, port))
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


def served_links(settings: Settings, host: str, port: int) -> dict[str, str]:
    """Links (certificates, reports, checkouts) name the address served, unless a public base
    URL is configured (behind a proxy it must be)."""
    if settings.public_base_url and "public_base_url" in settings.model_fields_set:
        return {}
    reachable = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return {"CAMPUS_PUBLIC_BASE_URL": f"http://{reachable}:{port}"}


@cli.command()
def relay() -> None:
    """Publish the event store's notification logs to Kafka, resuming where it stopped."""
    from infra.eventstore.commit_listener import listen_for_commits
    from infra.kafka import KafkaEventPublisher, ensure_topic
    from infra.relay import Relay
    from infra.worker_loop import when_ready
    from ops.worker_metrics import RelayCollector

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
    from projections.kafka_projector import run_kafka_projector

    campus = start(role="project")
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
    from ops.notifier import NOTIFIER, NotifierRunner
    from projections.kafka_projector import run_kafka_projector

    campus = start(role="notify")
    stop, runner = until_signalled(), NotifierRunner(campus)
    serve_projection_metrics(campus, runner)
    if campus.settings.uses_kafka:
        run_kafka_projector(campus.settings, runner, NOTIFIER, list(campus.apps), stop)
    else:
        campus.notifier().run(stop, campus.settings.follower_poll_interval_seconds)
    campus.close()


@cli.command()
def schedule() -> None:
    """Run the timers: course reminders for idle learners, taking back lapsed review leases."""
    from ops.scheduler import run_schedule

    campus = start(role="schedule")
    campus.metrics.serve(campus.settings.metrics_port)
    run_schedule(campus, until_signalled())
    campus.close()


@projections_cli.command("list")
def projections_list() -> None:
    """The projections and their tables."""
    from projections.analytics.runner import ANALYTICS
    from projections.analytics.schema import PROJECTED
    from projections.registry import GROUPS, all_projections

    table = Table("projection", "tables", "groups")
    for name, projection in all_projections().items():
        groups = ", ".join(g for g, members in GROUPS.items() if name in members)
        table.add_row(name, ", ".join(t.name for t in projection.tables), groups)
    table.add_row(ANALYTICS, ", ".join(PROJECTED), "-")
    console.print(table)


@projections_cli.command("status")
def projections_status() -> None:
    """How far each projection has got, per application, against the event store's head."""
    from projections.analytics.runner import ANALYTICS
    from projections.parking import counts
    from projections.registry import all_projections

    campus = start()
    with campus.read_engine.connect() as conn:
        parked = counts(conn)
    table = Table("projection", "application", "applied through", "head", "behind", "parked")
    for name in [*all_projections(), ANALYTICS]:
        runner = campus.runner(name)
        for app_name, app in campus.apps.items():
            try:
                done = runner.applied_through(app_name)
            except RuntimeError as error:  # chDB's folder, held by a running `campus serve`
                console.print(f"[yellow]{name}: {error}[/yellow]")
                break
            head = app.recorder.max_notification_id() or 0
            behind = str(max(head - done, 0))
            table.add_row(name, app_name, str(done), str(head), behind, str(parked.get(name, 0)))
    console.print(table)
    campus.close()


@projections_cli.command("parked")
def projections_parked(
    name: Annotated[str | None, typer.Argument(help="one projection; all when left out")] = None,
) -> None:
    """Events a projection could not apply, set aside with their error (oldest first)."""
    from projections.parking import parked

    campus = start()
    table = Table("projection", "event", "aggregate", "type", "parked at", "tries", "error")
    with campus.read_engine.connect() as conn:
        for entry in parked(conn, name):
            event = entry.event
            table.add_row(
                entry.projection,
                f"{event.application}:{event.position}",
                event.aggregate_id,
                event.event_type,
                entry.parked_at.isoformat(),
                str(entry.attempts),
                entry.error,
            )
    console.print(table)
    campus.close()


@projections_cli.command("retry")
def projections_retry(
    name: str,
    aggregate_id: Annotated[str | None, typer.Argument(help="one aggregate's events")] = None,
) -> None:
    """Apply a projection's parked events again, in order, after the cause is fixed."""
    campus = start()
    applied, still = campus.retry_parked(name, aggregate_id)
    colour = "green" if still == 0 else "yellow"
    console.print(f"[{colour}]{name}: {applied} applied, {still} still parked[/{colour}]")
    campus.close()


@projections_cli.command("rebuild")
def projections_rebuild(name: str, batch_size: int = 2000) -> None:
    """Drop a read model (or analytics), replay the event store into it; live projectors resume."""
    from projections.rebuild import rebuild

    campus = start()
    columns = (
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        "events",
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as bar:
        task = bar.add_task(f"rebuilding {name}", total=None)
        done = rebuild(
            campus.runner(name),
            list(campus.apps.values()),
            batch_size,
            lambda n, total: bar.update(task, completed=n, total=total),
        )
    console.print(f"[green]rebuilt {name}[/green] from {done} events")
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
    from domain.users.user import Role

    campus = start()
    try:
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


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
