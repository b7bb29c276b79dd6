"""What a projection is: a name, the tables it owns, and how one event changes them; and what
runs projections, which the follower, the Kafka projector and a rebuild drive alike."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, Table

from schemas.events import PublishedEvent, Watermark

Record = tuple[int, PublishedEvent | Watermark]  # (partition it was read from, record)
# Events as a projection may see them: sealed personal fields opened (see infra.personal_data).
Reveal = Callable[[Sequence[PublishedEvent]], list[PublishedEvent]]


class Projection(Protocol):
    name: str
    tables: tuple[Table, ...]

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        """Apply a batch of events in order; events the projection does not use are ignored."""


class Runner(Protocol):
    """Projections and how far they got, per (application, partition)."""

    names: list[str]

    def create_tables(self) -> None: ...

    def apply(self, records: Sequence[Record], lock: bool = True) -> None:
        """Apply the records past the tracked positions; ``lock=False`` when ``held``."""

    def positions(self, partition: int = 0) -> dict[str, int]:
        """Per application, the position every projection here has reached in ``partition``
        (an application they have not seen yet is absent: position 0)."""

    def applied_through(self, application: str) -> int:
        """The position up to which every event of ``application`` has been applied."""

    def ensure_partitions(self, applications: Sequence[str], partitions: Sequence[int]) -> None:
        """Track every (application, partition) from the start, so the minimum is honest."""

    def held(self) -> AbstractContextManager[None]:
        """Keep every other writer of these projections waiting (across many batches)."""

    def reset(self) -> set[tuple[str, int]]:
        """Drop the tables and positions; answer the (application, partition)s tracked."""

    def beside(self) -> Beside | None:
        """Empty copies to rebuild into while the live tables serve; None: rebuild in place."""

    def track(self, positions: dict[tuple[str, int], int]) -> None:
        """Record these (application, partition) positions for every projection."""

    def retry_parked(self, name: str, aggregate_id: str | None = None) -> tuple[int, int]:
        """Apply ``name``'s parked events again, in order; answer (applied, still parked)."""


@dataclass(frozen=True)
class Beside:
    """A rebuild's copies of a runner's tables: ``runner`` writes into them, and ``swap_in``
    (called holding the live projections) replaces the live rows with theirs and answers the
    (application, partition)s the live projections tracked."""

    runner: Runner
    swap_in: Callable[[], set[tuple[str, int]]]
    close: Callable[[], None] = lambda: None  # what the copies hold open, swapped in or not
