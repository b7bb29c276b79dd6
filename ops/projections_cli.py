"""``campus projections list|status|parked|retry|rebuild``: inspect and mend projections.

The commands open the stores themselves, unless an embedded server holds them (see
``ops.served``): then they ask that server's admin API, and print the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Protocol

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from infra.analytics.store import AnalyticsStoreHeldError
from infra.security.tokens import JwtTokens
from infra.settings import Settings
from ops.bootstrap import Campus
from ops.projections_remote import RemoteProjections, ServerError
from ops.projections_views import (
    ProjectionNotFoundError,
    parked_events,
    parking,
    rebuildable,
    status,
)
from ops.served import live_server
from ops.startup import start

projections_cli = typer.Typer(
    help="Inspect and rebuild read models and analytics.", no_args_is_help=True
)
console = Console()
Progressed = Callable[[int, int], None]  # (events done, events in all)


class Projections(Protocol):
    """What the commands need, from the stores or from the server holding them."""

    def status(self) -> list[dict[str, Any]]: ...
    def parked(self, name: str | None) -> list[dict[str, Any]]: ...
    def retry(self, name: str, aggregate_id: str | None) -> tuple[int, int]: ...
    def rebuild(self, name: str, progress: Progressed) -> int: ...
    def close(self) -> None: ...


class LocalProjections:
    def __init__(self, campus: Campus, batch_size: int = 2000) -> None:
        self.campus = campus
        self.batch_size = batch_size

    def status(self) -> list[dict[str, Any]]:
        return status(self.campus)

    def parked(self, name: str | None) -> list[dict[str, Any]]:
        return parked_events(self.campus, name and parking(name))

    def retry(self, name: str, aggregate_id: str | None) -> tuple[int, int]:
        return self.campus.retry_parked(parking(name), aggregate_id)

    def rebuild(self, name: str, progress: Progressed) -> int:
        from projections.rebuild import rebuild

        runner, apps = self.campus.runner(rebuildable(name)), list(self.campus.apps.values())
        return rebuild(runner, apps, self.batch_size, progress)

    def close(self) -> None:
        self.campus.close()


@contextmanager
def operated(batch_size: int = 2000) -> Iterator[Projections]:
    """The server's admin API if a server holds this data directory, else the stores."""
    settings = Settings()
    server = live_server(settings) if settings.is_embedded else None
    projections: Projections = (
        RemoteProjections(server, JwtTokens(settings))
        if server
        else LocalProjections(start(settings), batch_size)
    )
    try:
        yield projections
    except (ServerError, ProjectionNotFoundError, AnalyticsStoreHeldError) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    finally:
        projections.close()


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
    with operated() as projections:
        view = projections.status()
    table = Table("projection", "application", "applied through", "head", "behind", "parked")
    for projection in view:
        if projection.get("error"):  # an analytics store held by another process, say
            console.print(f"[yellow]{projection['name']}: {projection['error']}[/yellow]")
        for app in projection["applications"]:
            behind = max(app["head"] - app["appliedThrough"], 0)
            table.add_row(
                projection["name"],
                app["application"],
                str(app["appliedThrough"]),
                str(app["head"]),
                str(behind),
                str(projection["parked"]),
            )
    console.print(table)


@projections_cli.command("parked")
def projections_parked(
    name: Annotated[str | None, typer.Argument(help="one projection; all when left out")] = None,
) -> None:
    """Events a projection could not apply, set aside with their error (oldest first)."""
    with operated() as projections:
        entries = projections.parked(name)
    table = Table("projection", "event", "aggregate", "type", "parked at", "tries", "error")
    for entry in entries:
        table.add_row(
            entry["projection"],
            f"{entry['application']}:{entry['position']}",
            entry["aggregateId"],
            entry["eventType"],
            entry["parkedAt"],
            str(entry["attempts"]),
            entry["error"],
        )
    console.print(table)


@projections_cli.command("retry")
def projections_retry(
    name: str,
    aggregate_id: Annotated[str | None, typer.Argument(help="one aggregate's events")] = None,
) -> None:
    """Apply a projection's parked events again, in order, after the cause is fixed."""
    with operated() as projections:
        applied, still = projections.retry(name, aggregate_id)
    colour = "green" if still == 0 else "yellow"
    console.print(f"[{colour}]{name}: {applied} applied, {still} still parked[/{colour}]")


@projections_cli.command("rebuild")
def projections_rebuild(
    name: str,
    batch_size: Annotated[
        int, typer.Option(help="events per batch (a server rebuilds in its own)")
    ] = 2000,
) -> None:
    """Rebuild a read model (or analytics) beside the live one, then swap it in; reads go on."""
    columns = (
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        "events",
        TimeRemainingColumn(),
    )
    with operated(batch_size) as projections, Progress(*columns, console=console) as bar:
        task = bar.add_task(f"rebuilding {name}", total=None)
        done = projections.rebuild(
            name, lambda n, total: bar.update(task, completed=n, total=total or None)
        )
    console.print(f"[green]rebuilt {name}[/green] from {done} events")
