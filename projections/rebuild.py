"""Rebuild projections: drop their tables, replay the event store into them, and hand over.

The projections' lock is held throughout, so a live projector waits, then resumes from the
rebuilt positions: what it already consumed is skipped, what came after is applied. Read
models and analytics rebuild alike: both runners drop, replay and track the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from eventsourcing.application import Application

from infra.eventstore.publishing import iter_published
from projections.base import Runner

Progress = Callable[[int, int], None]  # (events done, events in all)


def rebuild(
    runner: Runner,
    apps: Sequence[Application],
    batch_size: int = 2000,
    progress: Progress | None = None,
) -> int:
    """Rebuild every projection of ``runner``; answer how many events were replayed."""
    with runner.held():
        partitions = runner.reset()
        done = replay(runner, apps, batch_size, progress)
        restore_partitions(runner, partitions)
    return done


def replay(
    runner: Runner,
    apps: Sequence[Application],
    batch_size: int,
    progress: Progress | None,
) -> int:
    done, total = 0, 0
    while True:  # until a pass finds nothing new: writes may land during the replay
        heads = {app.name: app.recorder.max_notification_id() or 0 for app in apps}
        reached = runner.positions()
        behind = {app.name: reached.get(app.name, 0) for app in apps}
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


def restore_partitions(runner: Runner, partitions: set[tuple[str, int]]) -> None:
    """Carry the replayed position to every Kafka partition the projector tracked before."""
    reached = runner.positions()
    runner.track({(app, p): reached.get(app, 0) for app, p in partitions if p != 0})
