"""The loop every worker runs (relay, projectors, notifier): work until stopped, and survive.

A worker that exits on a fault stops the pipeline for everyone, so no fault gets out: each is
logged and the step is tried again after an exponential backoff with jitter (tenacity), which
starts over after the next success. A transient fault (a server away, a pool exhausted) is
expected and logged briefly; anything else is logged with its traceback, since retrying it is
only right because the alternative, stopping, is worse.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from tenacity import RetryCallState, RetryError, Retrying, stop_when_event_set
from tenacity import wait_exponential_jitter as backoff

from infra.faults import is_transient

log = logging.getLogger("campus.worker")

FIRST_WAIT_SECONDS, LONGEST_WAIT_SECONDS = 0.1, 30.0
T = TypeVar("T")


def keep_going(
    name: str,
    step: Callable[[], bool],
    stop: threading.Event,
    idle_seconds: float,
    idle: Callable[[float], object] | None = None,
) -> None:
    """Call ``step`` until ``stop`` is set; it answers whether it found work, and when it did
    not, the loop waits ``idle_seconds`` before the next call, or less if ``idle`` (which
    waits at most the seconds it is given, and must not raise) is woken sooner."""
    retrying, wait = patiently(name, stop), idle or stop.wait
    while not stop.is_set():
        try:
            busy = retrying(step)
        except RetryError:
            return  # stopped while backing off
        if not busy and idle_seconds:
            wait(idle_seconds)


def when_ready(name: str, make: Callable[[], T], stop: threading.Event) -> T | None:
    """``make()`` once what it needs answers (a broker still starting, say); None if stopped
    first."""
    try:
        return patiently(name, stop)(make)
    except RetryError:
        return None


def patiently(name: str, stop: threading.Event) -> Retrying:
    """Retry anything, backing off, until it succeeds or ``stop`` is set (then RetryError)."""
    return Retrying(
        wait=backoff(multiplier=FIRST_WAIT_SECONDS, max=LONGEST_WAIT_SECONDS),
        stop=stop_when_event_set(stop),
        sleep=stop.wait,
        before_sleep=lambda state: report(name, state),
    )


def report(name: str, state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0.0
    if error is not None and is_transient(error):
        log.warning("%s: %r; attempt %d, again in %.1f s", name, error, state.attempt_number, wait)
    else:
        log.error(
            "%s failed; attempt %d, again in %.1f s",
            name,
            state.attempt_number,
            wait,
            exc_info=error,
        )
