"""Register the caller's device for push notifications (an FCM registration token), or drop it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Identity
from domain.errors import InvalidInputError

MAX_TOKEN = 4096  # FCM tokens run to a few hundred characters


@dataclass(frozen=True)
class RegisterPushDevice:
    user_id: UUID
    token: str


@dataclass(frozen=True)
class RemovePushDevice:
    user_id: UUID
    token: str


def register_push_device(cmd: RegisterPushDevice, identity: Identity) -> None:
    token = checked(cmd.token)
    user = identity.get_user(cmd.user_id)
    user.ensure_active()
    user.register_push_device(token)
    identity.save(user)


def remove_push_device(cmd: RemovePushDevice, identity: Identity) -> None:
    user = identity.get_user(cmd.user_id)
    user.remove_push_device(checked(cmd.token))
    identity.save(user)


def checked(token: str) -> str:
    token = token.strip()
    if not token or len(token) > MAX_TOKEN or not token.isprintable() or " " in token:
        raise InvalidInputError("token must be a device registration token")
    return token
