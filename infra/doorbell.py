"""Wake the threads that follow the event store when this process has saved events.

Without it a follower can only poll: every poll reads each application's log and positions, so
polling often costs CPU while idle and polling seldom makes every write wait to be seen. The
applications ring after each save, naming themselves, and followers sleep until a ring or
their poll interval, which then only has to catch what other processes wrote; a ring tells a
follower which logs to read, so one save costs one log's read, not every application's.
"""

from __future__ import annotations

import threading


class Doorbell:
    def __init__(self) -> None:
        self._rung = threading.Condition()
        self._rings = 0
        self._by: dict[str, int] = {}  # rings per source (an application's name)

    def ring(self, source: str | None = None) -> None:
        with self._rung:
            self._rings += 1
            if source is not None:
                self._by[source] = self._by.get(source, 0) + 1
            self._rung.notify_all()

    def listener(self) -> Listener:
        return Listener(self)


class Listener:
    """One follower's view of the bell: it remembers the rings it has already woken for, so a
    ring while the follower was busy wakes its next wait at once instead of being lost."""

    def __init__(self, bell: Doorbell) -> None:
        self.bell = bell
        with bell._rung:  # rings come from any thread: both counts are read at one moment
            self.seen, self.seen_by = bell._rings, dict(bell._by)

    def news(self) -> set[str]:
        """The sources that rang since the last call (or since this listener began)."""
        with self.bell._rung:
            rung = dict(self.bell._by)
        news = {source for source, rings in rung.items() if self.seen_by.get(source) != rings}
        self.seen_by = rung
        return news

    def wait(self, seconds: float) -> None:
        with self.bell._rung:
            self.bell._rung.wait_for(lambda: self.bell._rings != self.seen, seconds)
            self.seen = self.bell._rings
