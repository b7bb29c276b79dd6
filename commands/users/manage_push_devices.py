"""Register the caller's device for push notifications (an FCM registration token), or drop it.

A token reaches one user: registering one that another user holds (someone else signed in on
that phone) takes it from them, in the same save, so their pushes stop going to a phone that is
no longer theirs and the caller's never reach two people.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Identity
from commands.contention import retried
from domain.errors import InvalidInputError
from domain.users.push_device import PushDevice

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
    retried(lambda: register(identity, cmd.user_id, token))


def register(identity: Identity, user_id: UUID, token: str) -> None:
    user = identity.get_user(user_id)
    user.ensure_active()
    device, previous = identity.find_push_device(token), []
    if device is None:
        device = PushDevice(token, user.id)
    elif device.owner_id != user.id:
        previous = [identity.get_user(device.owner_id)]
        previous[0].remove_push_device(token)
        device.hand_to(user.id)
    user.register_push_device(token)
    identity.save(user, device, *previous)


def remove_push_device(cmd: RemovePushDevice, identity: Identity) -> None:
    user = identity.get_user(cmd.user_id)
    user.remove_push_device(checked(cmd.token))
    identity.save(user)


def checked(token: str) -> str:
    token = token.strip()
    if not token or len(token) > MAX_TOKEN or not token.isprintable() or " " in token:
        raise InvalidInputError("token must be a device registration token")
    return token
