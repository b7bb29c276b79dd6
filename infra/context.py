"""Who and what the current request is: correlation id and acting user, for logs and events."""

from __future__ import annotations

import contextvars

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)
actor_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("actor_id", default=None)
