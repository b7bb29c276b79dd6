"""The platform's timers: commands that run every so often, not on a request or an event.

``campus schedule`` in production (one instance is enough; a second only repeats idempotent
work), a thread of ``campus serve`` when embedded. Each job runs at start, then every interval
from settings; a job that fails is logged and tried again at its next turn.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from commands.learning.drop_refunded_enrollments import DropRefundedEnrollments
from commands.notifications.remind_idle_learners import RemindIdleLearners
from commands.payments.expire_checkouts import ExpireCheckouts
from commands.payments.reconcile_refunds import ReconcileRefunds
from commands.reviews.release_lapsed_reviews import ReleaseLapsedReviews
from infra.context import correlated
from ops.workers.metrics import RefundCollector

if TYPE_CHECKING:
    from ops.bootstrap import Campus

log = logging.getLogger("campus.scheduler")


def jobs(campus: Campus) -> list[tuple[Callable[[], object], float]]:
    """(command to send, seconds between sends)."""
    settings = campus.settings
    return [
        (RemindIdleLearners, settings.reminder_check_seconds),
        (ReleaseLapsedReviews, settings.review_sweep_seconds),
        (ReconcileRefunds, settings.refund_reconcile_seconds),
        (DropRefundedEnrollments, settings.refund_reconcile_seconds),  # left by a stopped process
        (ExpireCheckouts, settings.checkout_sweep_seconds),
    ]


def report_refunds(campus: Campus) -> None:
    """The refunds the timers wait on, on the metrics of the process that runs them."""
    campus.metrics.register(RefundCollector(campus.read_engine))


def run_schedule(campus: Campus, stop: threading.Event) -> None:
    schedule = jobs(campus)
    due = [0.0] * len(schedule)
    while not stop.is_set():
        for n, (command, every) in enumerate(schedule):
            if time.monotonic() >= due[n]:
                try:
                    with correlated("schedule"):
                        campus.bus.handle(command())
                except Exception:
                    log.exception("%s failed; trying again at its next turn", command.__name__)
                due[n] = time.monotonic() + every
        stop.wait(max(0.0, min(due) - time.monotonic()))
