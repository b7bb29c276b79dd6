"""Retrying a unit of work that lost a race for an aggregate's next version.

Optimistic concurrency makes the loser of a race fail on the event store's unique key; for
commands whose outcome does not depend on who won (holding a coupon use, settling a payment)
the right answer is to reload and try again, with jitter so the losers of one round do not
collide again in the next.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from eventsourcing.persistence import IntegrityError

from domain.errors import ConflictError

T = TypeVar("T")
ATTEMPTS = 50


class ContendedError(ConflictError):
    message = "Too many simultaneous changes; try again"


def retried(attempt: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """``attempt()``'s answer, reloading and retrying while it loses races."""
    for n in range(attempts):
        try:
            return attempt()
        except IntegrityError:
            time.sleep(random.uniform(0, 0.002 * (n + 1)))
    raise ContendedError
