"""Rebuild projections: drop their tables, replay the event store into them, and hand over.

The projections' lock is held throughout, so a live projector waits, then resumes from the
rebuilt positions: what it already consumed is skipped, what came after is applied.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack

from eventsourcing.application import Application

from infra.database import projection_held
from infra.eventstore.publishing import iter_published
from projections.metadata import metadata
from projections.runner import ProjectionRunner
from projections.tracking import forget, save_positions

Progress = Callable[[int, int], None]  # (events done, events in all)


def rebuild(
    runner: ProjectionRunner,
    apps: Sequence[Application],
    batch_size: int = 2000,
    progress: Progress | None = None,
) -> int:
    """Rebuild every projection of ``runner``; answer how many events were replayed."""
    with ExitStack() as held:
        for name in runner.names:
            held.enter_context(projection_held(runner.engine, name, runner.data_dir))
        partitions = reset(runner)
        done = replay(runner, apps, batch_size, progress)
        restore_partitions(runner, partitions)
    return done


def reset(runner: ProjectionRunner) -> set[tuple[str, int]]:
    tables = [t for p in runner.projections for t in p.tables]
    with runner.engine.begin() as conn:
        partitions = set().union(*(forget(conn, name) for name in runner.names))
    metadata.drop_all(runner.engine, tables=tables)
    runner.create_tables()
    return partitions


def replay(
    runner: ProjectionRunner,
    apps: Sequence[Application],
    batch_size: int,
    progress: Progress | None,
) -> int:
    done, total = 0, 0
    while True:  # until a pass finds nothing new: writes may land during the replay
        heads = {app.name: app.recorder.max_notification_id() or 0 for app in apps}
        behind = {app.name: runner.position(app.name) for app in apps}
        todo = sum(heads[n] - behind[n] for n in heads)
        if todo <= 0:
            return done
        total = done + todo
        for app in apps:
            for events in iter_published(app, behind[app.name], heads[app.name], batch_size):
                runner.apply([(0, e) for e in events], lock=False)
                done += len(events)
                if progress:
                    progress(done, max(total, done))


def restore_partitions(runner: ProjectionRunner, partitions: set[tuple[str, int]]) -> None:
    """Carry the replayed position to every Kafka partition the projector tracked before."""
    positions = {
        (name, app, p): runner.position(app)
        for name in runner.names
        for app, p in partitions
        if p != 0
    }
    with runner.engine.begin() as conn:
        save_positions(conn, positions, set())
