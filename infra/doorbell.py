"""Wake the threads that follow the event store when this process has saved events.

Without it a follower can only poll: every poll reads each application's log and positions, so
polling often costs CPU while idle and polling seldom makes every write wait to be seen. The
applications ring after each save and followers sleep until a ring or their poll interval,
which then only has to catch what other processes wrote.
"""

from __future__ import annotations

import threading


class Doorbell:
    def __init__(self) -> None:
        self._rung = threading.Condition()
        self._rings = 0

    def ring(self) -> None:
        with self._rung:
            self._rings += 1
            self._rung.notify_all()

    def listener(self) -> Listener:
        return Listener(self)


class Listener:
    """One follower's view of the bell: it remembers the rings it has already woken for, so a
    ring while the follower was busy wakes its next wait at once instead of being lost."""

    def __init__(self, bell: Doorbell) -> None:
        self.bell = bell
        self.seen = bell._rings

    def wait(self, seconds: float) -> None:
        with self.bell._rung:
            self.bell._rung.wait_for(lambda: self.bell._rings != self.seen, seconds)
            self.seen = self.bell._rings
