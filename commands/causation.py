"""What caused the work at hand: the command being handled, or the event a policy reacts to.

Events saved meanwhile record it (``infra.eventstore.mapper``) beside the request's correlation
id, so an auditor can follow a chain: a checkout's command, the payment and enrollment it saved,
the receipt the notifier requested because of the payment's event, and so on.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

causation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "causation_id", default=None
)


def of_command(command: object) -> str:
    return f"command:{type(command).__name__}"


def of_event(application: str, position: int) -> str:
    return f"event:{application}:{position}"


@contextmanager
def caused_by(cause: str) -> Iterator[None]:
    token = causation_id.set(cause)
    try:
        yield
    finally:
        causation_id.reset(token)
