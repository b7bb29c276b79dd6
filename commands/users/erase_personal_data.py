"""Erase a user's personal data (the learner's own request, or an admin's): crypto-shredding.

The events stay, so the books still add up; the user's key is destroyed, so every personal
field it sealed, in the event store and on Kafka alike, reads as nothing from now on. The
user's unique values are released (the e-mail may register again), their tokens stop working,
and the copies this side kept of what was sent to them are dropped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from uuid import UUID

from commands.applications import Identity
from commands.notifications.ports import Mailer, PushSender
from commands.users.ports import AccessRevocations, PersonalDataKeys
from domain.errors import ForbiddenError
from domain.users.user import Role, User


class SelfErasureError(ForbiddenError):
    """The admin who would erase their own account may be the last one: another admin can."""

    message = "Admins cannot erase their own account; another admin can"


@dataclass(frozen=True)
class ErasePersonalData:
    user_id: UUID
    requested_by: UUID  # the user themselves, or an admin


def erase_personal_data(
    cmd: ErasePersonalData,
    identity: Identity,
    personal_data: PersonalDataKeys,
    revocations: AccessRevocations,
    mailer: Mailer,
    push_sender: PushSender,
) -> None:
    user = identity.get_user(cmd.user_id)
    if user.role is Role.ADMIN and cmd.requested_by == user.id:
        raise SelfErasureError
    if not user.is_erased:
        # Copies first: once the user is saved erased, their address is no longer known.
        if user.email:
            mailer.forget(user.email)
        for token in user.push_devices:
            push_sender.forget(token)
        identity.save(*erased(identity, user))
    # Even when already erased: destroying again heals a request that stopped half-way.
    personal_data.destroy(str(user.id))
    revocations.revoke_user_tokens(user.id, issued_before=time.time())


def erased(identity: Identity, user: User) -> list[object]:
    """The user erased and each unique value they held released, to be saved together."""
    held = [identity.find_key(kind, value) for kind, value in user.claims()]
    released = [key for key in held if key is not None and key.owner_id == user.id]
    for key in released:
        key.release()
    user.erase()
    return [user, *released]
