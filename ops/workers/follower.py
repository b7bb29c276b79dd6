"""Follow the event store directly and feed the projections: the embedded default's pipeline.

SQLite has no subscriptions, so the follower reads each application's notification log from
the projections' tracked position when this process's doorbell rings (it saved events) or its
poll interval passes (another process may have); the same projection code runs behind Kafka in
production.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from eventsourcing.application import Application

from infra.doorbell import Doorbell
from infra.eventstore.publishing import read_published
from ops.workers.loop import keep_going
from projections.base import Runner

GATHER_SECONDS = 0.01  # what the read models wait for more saves: a client reads next


class EventStoreFollower:
    def __init__(
        self,
        apps: Sequence[Application],
        runner: Runner,
        batch_size: int = 500,
        doorbell: Doorbell | None = None,
        gather_seconds: float = GATHER_SECONDS,
        hurry: Doorbell | None = None,
    ) -> None:
        self.apps = list(apps)
        self.runner = runner
        self.batch_size = batch_size
        self.doorbell = doorbell
        self.gather_seconds = gather_seconds
        self.hurry = hurry  # rung by a reader waiting for these projections: gather no longer

    def catch_up(self, stop: threading.Event | None = None) -> int:
        """Apply everything recorded so far (or until stopped); answer how many events were read."""
        total, reached = 0, self.runner.positions()
        for app in self.apps:
            position = reached.get(app.name, 0)
            while not (stop and stop.is_set()) and (
                events := read_published(app, position, self.batch_size)
            ):
                self.runner.apply([(0, event) for event in events])
                # Applied or skipped as already seen: the runner is at least this far now.
                position = events[-1].position
                total += len(events)
        return total

    def run(self, stop: threading.Event, poll_interval: float) -> None:
        name = ",".join(self.runner.names)
        idle = self.gathering(stop) if self.doorbell else None
        if idle:
            idle(0)  # what is written while a process starts gathers too
        keep_going(name, lambda: self.catch_up(stop) > 0, stop, poll_interval, idle)

    def gathering(self, stop: threading.Event) -> Callable[[float], None]:
        """Wait for the bell, then a moment more: the saves of a burst arrive as one batch,
        one transaction of the projections instead of one each."""
        saves = self.doorbell.listener()
        hurried = self.hurry.listener() if self.hurry else None

        def idle(seconds: float) -> None:
            saves.wait(seconds)
            if hurried and not stop.is_set():
                hurried.wait(self.gather_seconds)
            else:
                stop.wait(self.gather_seconds)

        return idle

    def start(self, poll_interval: float) -> tuple[threading.Event, threading.Thread]:
        stop = threading.Event()
        thread = threading.Thread(
            target=self.run, args=(stop, poll_interval), name="campus-follower", daemon=True
        )
        thread.start()
        return stop, thread
