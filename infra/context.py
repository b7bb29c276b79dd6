"""Who and what the current request is: correlation id and acting user, for logs and events."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)
actor_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("actor_id", default=None)


@contextmanager
def correlated(origin: str) -> Iterator[str]:
    """Work with no request behind it (a scheduler turn, a CLI command) as one chain of its
    own, ``origin-<uuid>``, so the audit trail finds everything it caused together."""
    token = correlation_id.set(f"{origin}-{uuid.uuid4()}")
    try:
        yield correlation_id.get() or origin
    finally:
        correlation_id.reset(token)
