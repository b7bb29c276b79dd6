"""Scheduler jobs as tomorrow's run of them sees things: the worklist a projection fills on its
own, waited for, and a job handled with its clock a day ahead (later than every job's wait)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from commands.bus import inject

if TYPE_CHECKING:
    from ops.bootstrap import Campus


def tomorrow() -> datetime:
    """Later than every scheduler job's wait (a checkout's is a day)."""
    return datetime.now(UTC) + timedelta(days=1, minutes=1)


def found(worklist: Callable[[datetime], list[UUID]]) -> list[UUID]:
    """A scheduler's worklist as tomorrow's sweep reads it, once the projection (following on
    its own) has put anything there."""
    deadline = time.monotonic() + 5
    while not worklist(tomorrow()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return worklist(tomorrow())


def swept_tomorrow(campus: Campus, command: object, handler: Callable[..., int]) -> int:
    """What a scheduler's job answers when its clock reads tomorrow."""
    deps = campus.bus.handlers[type(command)].keywords | {"clock": tomorrow}
    return inject(handler, deps)(command)
