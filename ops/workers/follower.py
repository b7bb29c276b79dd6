"""Follow the event store directly and feed the projections: the embedded default's pipeline.

SQLite has no subscriptions, so the follower reads the notification logs from the projections'
tracked positions: those this process's applications rang the doorbell for (they saved events),
and every log once per poll interval (another process may have written); the same projection
code runs behind Kafka in production.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Collection, Sequence

from eventsourcing.application import Application

from infra.doorbell import Doorbell, Listener
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

    def catch_up(
        self, stop: threading.Event | None = None, only: Collection[str] | None = None
    ) -> int:
        """Apply everything recorded so far (or until stopped) in the applications named
        ``only`` (all if None); answer how many events were read."""
        apps = [app for app in self.apps if only is None or app.name in only]
        total, reached = 0, self.runner.positions() if apps else {}
        for app in apps:
            position = reached.get(app.name, 0)
            while not (stop and stop.is_set()) and (
                events := read_published(app, position, self.batch_size)
            ):
                self.runner.apply([(0, event) for event in events])
                # Applied or skipped as already seen: the runner is at least this far now.
                position = events[-1].position
                total += len(events)
                if len(events) < self.batch_size:
                    break  # the log's end: what is saved after it rings or is polled for
        return total

    def run(self, stop: threading.Event, poll_interval: float) -> None:
        name = ",".join(self.runner.names)
        if not self.doorbell:
            keep_going(name, lambda: self.catch_up(stop) > 0, stop, poll_interval)
            return
        saves = self.doorbell.listener()
        idle = self.gathering(stop, saves)
        idle(0)  # what is written while a process starts gathers too
        keep_going(name, self.turns(stop, saves, poll_interval), stop, poll_interval, idle)

    def turns(
        self, stop: threading.Event, saves: Listener, poll_interval: float
    ) -> Callable[[], bool]:
        """A turn reads the logs whose applications rang since the last turn, and every log
        once per poll interval, since other processes ring no bell here. Each log is read to
        its end, so a turn never asks to be repeated at once: a later save rings again."""
        polled = -math.inf
        pending: set[str] = set()  # kept by a turn that fails, for its retry

        def turn() -> bool:
            nonlocal polled
            pending.update(saves.news())
            started = time.monotonic()
            every = started - polled >= poll_interval
            self.catch_up(stop, None if every else pending)
            pending.clear()
            if every:
                polled = started
            return False

        return turn

    def gathering(self, stop: threading.Event, saves: Listener) -> Callable[[float], None]:
        """Wait for the bell, then a moment more: the saves of a burst arrive as one batch,
        one transaction of the projections instead of one each."""
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
