"""Update the caller's own profile (name and avatar).

Two devices saving one profile at once race for the user's next version; the loser reloads and
applies its change again, since what it asks does not depend on who went first.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Identity
from commands.contention import retried


@dataclass(frozen=True)
class UpdateProfile:
    user_id: UUID
    name: str | None = None
    avatar_url: str | None = None


def update_profile(cmd: UpdateProfile, identity: Identity) -> None:
    def attempt() -> None:
        user = identity.get_user(cmd.user_id)
        user.ensure_active()
        name = cmd.name if cmd.name is not None else user.name
        avatar_url = cmd.avatar_url if cmd.avatar_url is not None else user.avatar_url
        if (name, avatar_url) != (user.name, user.avatar_url):
            user.update_profile(name, avatar_url)
            identity.save(user)

    retried(attempt)
