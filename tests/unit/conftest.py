"""The unit tier's Campus: the in-memory event store, its handlers reached through the bus."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ops.bootstrap import Campus, bootstrap
from tests.conftest import embedded_settings


@pytest.fixture
def campus(tmp_path: Path) -> Iterator[Campus]:
    """Campus on the in-memory event store, with no follower: outcomes are read from the
    aggregates, not from read models."""
    campus = bootstrap(embedded_settings(tmp_path, database_url="memory"))
    yield campus
    campus.close()


@pytest.fixture
def campus_with(tmp_path: Path) -> Iterator[Callable[..., Campus]]:
    """Campus with some settings of its own (shorter leases, fewer attempts, ...)."""
    opened: list[Campus] = []

    def start(**overrides: object) -> Campus:
        directory = tmp_path / f"campus-{len(opened)}"
        directory.mkdir()
        opened.append(bootstrap(embedded_settings(directory, database_url="memory", **overrides)))
        return opened[-1]

    yield start
    for campus in opened:
        campus.close()
