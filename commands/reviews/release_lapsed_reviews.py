"""Take back every review lease that ran out, so the work waits in its queue for the next
reviewer even when nobody pulls from that module for a while.

Pulling releases lapsed leases too; this sweep makes an expired assignment show as expired
(and its reviewer hear of it) when its lease ends, not whenever the module is next used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from commands.applications import Learning
from commands.contention import retried
from commands.reviews.pull_review import expire


class LapsedQueues(Protocol):
    def __call__(self, now: datetime) -> list[tuple[UUID, str]]:
        """The (course id, module id) of queues holding a lease that ended before ``now``."""


@dataclass(frozen=True)
class ReleaseLapsedReviews:
    pass


def release_lapsed_reviews(
    cmd: ReleaseLapsedReviews,
    lapsed_queues: LapsedQueues,
    learning: Learning,
    clock: Callable[[], datetime],
) -> int:
    """Answer how many leases were taken back."""
    now = clock()

    def release(course_id: UUID, module_id: str) -> int:
        queue = learning.get_review_queue(course_id, module_id)
        lapsed = [expire(learning, queue, a) for a in queue.expired(now)]
        if lapsed:
            learning.save(queue, *lapsed)
        return len(lapsed)

    return sum(retried(lambda c=c, m=m: release(c, m)) for c, m in lapsed_queues(now))
