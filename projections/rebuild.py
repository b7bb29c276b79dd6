"""Rebuild projections: replay the event store into fresh tables, and hand over.

Projections are rebuilt beside their live tables (``Runner.beside``; projections.shadow for
the read models, ``__rebuild`` copies for analytics): the replay runs while the live projector
and the read API carry on, then, holding the projections' lock, catches up to the head and
swaps the copies in. A runner that cannot hold copies (an in-memory database) is rebuilt in
place, dropped and replayed under the lock. The live projector, once it has the lock again,
resumes from the rebuilt positions: what it already consumed is skipped, what came after is
applied.
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
    copies = runner.beside()
    if copies is None:
        with runner.held():
            partitions = runner.reset()
            done = replay(runner, apps, batch_size, progress)
            restore_partitions(runner, partitions)
        return done
    try:
        # Unlocked, while the live tables serve: most of the history, until little is left.
        done = replay(copies.runner, apps, batch_size, progress, left=batch_size)
        with runner.held():
            done = replay(copies.runner, apps, batch_size, progress, done=done)
            restore_partitions(runner, copies.swap_in())
    finally:
        copies.close()
    return done


def replay(
    runner: Runner,
    apps: Sequence[Application],
    batch_size: int,
    progress: Progress | None,
    done: int = 0,
    left: int = 0,
) -> int:
    """Replay into ``runner`` until at most ``left`` events are behind the head; answer the
    events replayed in all, counting on from ``done``."""
    while True:  # writes may land during the replay
        heads = {app.name: app.recorder.max_notification_id() or 0 for app in apps}
        reached = runner.positions()
        behind = {app.name: reached.get(app.name, 0) for app in apps}
        todo = sum(heads[n] - behind[n] for n in heads)
        if todo <= left:
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
