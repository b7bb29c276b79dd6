"""Published events of users, their unique claims and push devices (application
``identity``), and of sessions (application ``sessions``).

Each model matches its domain event class, minus private fields;
tests/unit/test_published_payloads.py fails when the two disagree.
"""

from __future__ import annotations

from typing import Any, ClassVar

from schemas.published.base import Instant, PublishedPayload, Sealed, Uuid


class UserRegistered(PublishedPayload):
    NAME: ClassVar[str] = "User.Registered"
    email: Sealed
    phone: Sealed
    name: Sealed
    avatar_url: Sealed
    role: str


class UserBlocked(PublishedPayload):
    NAME: ClassVar[str] = "User.Blocked"
    reason: str


class UserOAuthAccountLinked(PublishedPayload):
    NAME: ClassVar[str] = "User.OAuthAccountLinked"
    provider: str
    provider_user_id: Sealed


class UserPasswordChanged(PublishedPayload):
    NAME: ClassVar[str] = "User.PasswordChanged"
    changed_at: Instant


class UserPasswordRehashed(PublishedPayload):
    NAME: ClassVar[str] = "User.PasswordRehashed"


class UserPersonalDataErased(PublishedPayload):
    NAME: ClassVar[str] = "User.PersonalDataErased"


class UserPreferencesChanged(PublishedPayload):
    NAME: ClassVar[str] = "User.PreferencesChanged"
    channels: list[Any]
    language: str
    timezone: str


class UserProfileUpdated(PublishedPayload):
    NAME: ClassVar[str] = "User.ProfileUpdated"
    name: Sealed
    avatar_url: Sealed


class UserPushDeviceRegistered(PublishedPayload):
    NAME: ClassVar[str] = "User.PushDeviceRegistered"


class UserPushDeviceRemoved(PublishedPayload):
    NAME: ClassVar[str] = "User.PushDeviceRemoved"


class UserRoleChanged(PublishedPayload):
    NAME: ClassVar[str] = "User.RoleChanged"
    role: str


class UserUnblocked(PublishedPayload):
    NAME: ClassVar[str] = "User.Unblocked"


class UniqueKeyClaimed(PublishedPayload):
    NAME: ClassVar[str] = "UniqueKey.Claimed"
    DATA_SUBJECT: ClassVar[str | None] = "owner_id"
    kind: str
    value: Sealed
    owner_id: Uuid


class UniqueKeyReclaimed(PublishedPayload):
    NAME: ClassVar[str] = "UniqueKey.Reclaimed"
    DATA_SUBJECT: ClassVar[str | None] = "owner_id"
    value: Sealed
    owner_id: Uuid


class UniqueKeyReleased(PublishedPayload):
    NAME: ClassVar[str] = "UniqueKey.Released"


class PushDeviceRegistered(PublishedPayload):
    NAME: ClassVar[str] = "PushDevice.Registered"
    DATA_SUBJECT: ClassVar[str | None] = "owner_id"
    owner_id: Uuid


class PushDeviceHandedOver(PublishedPayload):
    NAME: ClassVar[str] = "PushDevice.HandedOver"
    owner_id: Uuid


class SessionStarted(PublishedPayload):
    NAME: ClassVar[str] = "Session.Started"
    user_id: Uuid
    token_id: str
    method: str


class SessionRevoked(PublishedPayload):
    NAME: ClassVar[str] = "Session.Revoked"
    reason: str


class SessionRotated(PublishedPayload):
    NAME: ClassVar[str] = "Session.Rotated"
    token_id: str
