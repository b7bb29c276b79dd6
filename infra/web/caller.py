"""Who a request acts for, as far as reading one's own writes is concerned."""

from __future__ import annotations

from starlette.types import Scope


def caller_of(scope: Scope) -> str | None:
    """The user a request has just signed in (registration, login), else the signed-in user."""
    state = scope.get("state") or {}
    if state.get("caller_id"):
        return state["caller_id"]
    decoded = state.get("access_claims")  # verified once by the rate limiter
    return str(decoded[1].user_id) if decoded else None
