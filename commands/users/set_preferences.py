"""Set the caller's preferences: notification channels, language and time zone.

A lost race for the user's next version (two devices at once) is reloaded and applied again.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Identity
from commands.contention import retried
from domain.users.preferences import Preferences


@dataclass(frozen=True)
class SetPreferences:
    user_id: UUID
    channels: tuple[str, ...] | None = None
    language: str | None = None
    timezone: str | None = None  # checked against the time zone database at the API's edge


def set_preferences(cmd: SetPreferences, identity: Identity) -> Preferences:
    def attempt() -> Preferences:
        user = identity.get_user(cmd.user_id)
        user.ensure_active()
        current = user.preferences
        user.set_preferences(
            Preferences(
                cmd.channels if cmd.channels is not None else current.channels,
                cmd.language or current.language,
                cmd.timezone or current.timezone,
            )
        )
        identity.save(user)
        return user.preferences

    return retried(attempt)
