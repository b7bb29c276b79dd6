"""Group commit: concurrent saves of one application share one transaction.

Every insert into an application's events table holds the table's lock until commit, so
writers queue behind each other's commit latency. Here a committer thread takes every save
waiting at that moment and inserts their events in one transaction: one lock, one commit,
many commands. Nothing waits to fill a batch; a batch is whatever queued during the last
commit. Each save stays atomic and gets its own answer: when a batch fails (one save lost a
race on an aggregate version or a unique key), its saves are retried one by one, so only the
loser sees the IntegrityError.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from eventsourcing.persistence import ApplicationRecorder, StoredEvent


@dataclass
class PendingSave:
    events: Sequence[StoredEvent]
    done: threading.Event = field(default_factory=threading.Event)
    ids: Sequence[int] = ()
    error: BaseException | None = None


class GroupCommitter:
    def __init__(
        self,
        recorder: ApplicationRecorder,
        max_batch_events: int = 2000,
        observe: Callable[[int], None] = lambda saves: None,
    ) -> None:
        self.recorder = recorder
        self.max_batch_events = max_batch_events
        self.observe = observe  # told how many saves each batch took (metrics)
        self.queue: list[PendingSave] = []
        self.wakeup = threading.Condition()
        self.closed = False
        # Started by the first save: a process that never writes (a read API) runs no thread.
        self.thread: threading.Thread | None = None

    def commit(self, events: Sequence[StoredEvent]) -> Sequence[int]:
        """Insert ``events`` atomically; answer their notification ids once committed."""
        pending = PendingSave(events)
        with self.wakeup:
            if self.closed:
                raise RuntimeError("the event store is closed")
            if self.thread is None:
                self.thread = threading.Thread(
                    target=self.run, name="campus-group-commit", daemon=True
                )
                self.thread.start()
            self.queue.append(pending)
            self.wakeup.notify()
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        return pending.ids

    def run(self) -> None:
        while batch := self.next_batch():
            self.observe(len(batch))
            self.write(batch)

    def next_batch(self) -> list[PendingSave]:
        with self.wakeup:
            while not self.queue and not self.closed:
                self.wakeup.wait()
            taken, size = 0, 0
            while taken < len(self.queue) and (taken == 0 or size < self.max_batch_events):
                size += len(self.queue[taken].events)
                taken += 1
            batch, self.queue = self.queue[:taken], self.queue[taken:]
            return batch

    def write(self, batch: list[PendingSave]) -> None:
        try:
            ids = self.recorder.insert_events([e for p in batch for e in p.events]) or []
        except Exception as error:  # handed to the waiting caller(s)
            if len(batch) == 1:
                batch[0].error = error
                batch[0].done.set()
            else:
                for pending in batch:  # find the one that failed; the others commit
                    self.write([pending])
            return
        start = 0
        for pending in batch:
            pending.ids, start = (
                ids[start : start + len(pending.events)],
                start + len(pending.events),
            )
            pending.done.set()

    def close(self) -> None:
        with self.wakeup:
            self.closed = True
            self.wakeup.notify()
        if self.thread is not None:
            self.thread.join(timeout=10)
