"""How a ``campus`` command starts Campus: settings, logging, then the composition root, with
a configuration that production mode refuses printed, not raised."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from infra.logging import configure_logging
from infra.production import ProductionConfigurationError
from infra.roles import Role
from infra.settings import Settings
from ops.bootstrap import Campus, bootstrap_when_ready
from ops.served import live_server


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


def alone(reason: str, role: Role = "cli") -> Settings:
    """The settings, unless an embedded server of the same data directory runs: its process
    holds the stores (``reason`` says what else it already does), so this one exits."""
    settings = Settings(role=role)
    server = live_server(settings) if settings.is_embedded else None
    if server:
        typer.echo(
            f"Campus already serves {settings.data_dir} at {server.url} (pid {server.pid}) "
            f"and {reason}.",
            err=True,
        )
        raise typer.Exit(1)
    return settings
