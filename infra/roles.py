"""What each kind of Campus process may hold of PostgreSQL: its connection budget per pool,
and the name its connections show in ``pg_stat_activity``.

Every pool opens lazily and keeps at most its budget, so a process holds only what its role
uses: the read API never writes events (its event-store budget serves the operators' endpoints
only), the projectors never load aggregates. The production deployment of docker-compose.yml
with four uvicorn workers per API stays within ``DEPLOYMENT_BUDGET`` (see docs/scaling.md);
``campus bench connections`` measures it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

Role = Literal["all", "write", "read", "relay", "project", "notify", "schedule", "cli"]


@dataclass(frozen=True)
class PoolSizes:
    """Most connections a process keeps: one event-store pool shared by all its applications,
    one read-model pool, and a listening connection for the roles that wait on commits."""

    event_store: int
    read_models: int
    listening: int = 0

    @property
    def total(self) -> int:
        return self.event_store + self.read_models + self.listening


POOLS: dict[Role, PoolSizes] = {
    # Loads and group-committed saves; the read models only for the operators' endpoints.
    "write": PoolSizes(event_store=3, read_models=1),
    # Queries and the consistency watch; the event store only for the operators' endpoints.
    "read": PoolSizes(event_store=1, read_models=3),
    # Reads the logs, records its positions, and listens for commits.
    "relay": PoolSizes(event_store=1, read_models=1, listening=1),
    # Rows and positions in one transaction; the event store for lag metrics only.
    "project": PoolSizes(event_store=1, read_models=2),
    # Deliveries load and save notifications from several workers.
    "notify": PoolSizes(event_store=3, read_models=2),
    "schedule": PoolSizes(event_store=2, read_models=1),
    # One process doing everything (the embedded default, tests) and one-off commands.
    "all": PoolSizes(event_store=10, read_models=10),
    "cli": PoolSizes(event_store=2, read_models=2),
}

# docker-compose.yml's processes: (role, how many of them). The APIs run four workers each.
DEPLOYMENT: tuple[tuple[Role, int], ...] = (
    ("write", 4),
    ("read", 4),
    ("relay", 1),
    ("project", 2),  # read models and analytics
    ("notify", 1),
    ("schedule", 1),
)
DEPLOYMENT_BUDGET = 60


def deployment_connections() -> int:
    """The most connections the production deployment can hold, by the budgets above."""
    return sum(POOLS[role].total * count for role, count in DEPLOYMENT)


def connection_name(role: str) -> str:
    """How this process's connections appear in pg_stat_activity: role and process id."""
    return f"campus-{role}-{os.getpid()}"
