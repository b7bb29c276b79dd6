"""CPU time the servers under test spent, read from /proc: a cost per request that the other
work on a shared machine disturbs far less than it disturbs a rate.

Each server runs in a session of its own (``Stack.start``), so its supervisor and every worker
it spawned are the processes of that session.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

TICKS = os.sysconf("SC_CLK_TCK")
T = TypeVar("T")


def session_cpu_seconds(session: int) -> float:
    """User plus system CPU of every live process in ``session``."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        # After the command: state, ppid, pgrp, session, ..., utime (12th), stime (13th).
        if int(fields[3]) == session:
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def cpu_spent(session: int, work: Callable[[], T]) -> tuple[T, float]:
    """``work()``'s answer and the CPU seconds the session spent meanwhile."""
    before = session_cpu_seconds(session)
    answer = work()
    return answer, session_cpu_seconds(session) - before
