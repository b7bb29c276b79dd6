"""What a projection is: a name, the tables it owns, and how one event changes them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import Connection, Table

from schemas.events import PublishedEvent


class Projection(Protocol):
    name: str
    tables: tuple[Table, ...]

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        """Apply a batch of events in order; events the projection does not use are ignored."""
