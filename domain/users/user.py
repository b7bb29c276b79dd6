"""The User aggregate: a person's account, role and standing on the platform."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, ForbiddenError, UnauthorizedError
from domain.users.preferences import Preferences
from domain.users.roles import Role


class UserStatus(StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"
    ERASED = "erased"  # their personal data is gone; the account can do nothing more


class UserBlockedError(ForbiddenError):
    """A blocked user may not sign in or act."""

    message = "User is blocked"


class InvalidCredentialsError(UnauthorizedError):
    """The e-mail/password pair or the OAuth identity does not match an account."""

    message = "Invalid credentials"


class OAuthAccountTakenError(ConflictError):
    """The OAuth identity already belongs to another user."""

    message = "This OAuth account is linked to another user"


class User(Aggregate):
    """A registered person. Holds the password hash, never the password."""

    preferences = Preferences()  # until the user sets their own
    push_devices: tuple[str, ...] = ()  # FCM registration tokens, oldest first
    MAX_PUSH_DEVICES = 10

    class Registered(Aggregate.Created):
        email: str
        phone: str | None
        name: str
        avatar_url: str | None
        password_hash: str | None
        role: str
        # Hashes stay in the event store: published events and logs leave them out.
        private_fields: ClassVar[frozenset[str]] = frozenset({"password_hash"})
        # Stored sealed with the user's own key: erasing the key erases them.
        personal_fields: ClassVar[frozenset[str]] = frozenset(
            {"email", "phone", "name", "avatar_url"}
        )

    class ProfileUpdated(Aggregate.Event):
        name: str
        avatar_url: str | None
        personal_fields: ClassVar[frozenset[str]] = frozenset({"name", "avatar_url"})

    class OAuthAccountLinked(Aggregate.Event):
        provider: str
        provider_user_id: str
        personal_fields: ClassVar[frozenset[str]] = frozenset({"provider_user_id"})

    class PersonalDataErased(Aggregate.Event):
        """The user's key was destroyed: what it sealed reads as None from now on."""

    class PasswordChanged(Aggregate.Event):
        password_hash: str
        changed_at: datetime
        private_fields: ClassVar[frozenset[str]] = frozenset({"password_hash"})

    class PasswordRehashed(Aggregate.Event):
        """The same password, hashed with stronger parameters: sessions carry on."""

        password_hash: str
        private_fields: ClassVar[frozenset[str]] = frozenset({"password_hash"})

    @event(Registered)
    def __init__(
        self,
        email: str,
        phone: str | None,
        name: str,
        avatar_url: str | None,
        password_hash: str | None,
        role: str,
    ) -> None:
        self.email = email
        self.phone = phone
        self.name = name
        self.avatar_url = avatar_url
        self.password_hash = password_hash
        self.role = Role(role)
        self.status = UserStatus.ACTIVE
        self.oauth_accounts: dict[str, str] = {}
        self.password_changed_at: datetime | None = None

    @property
    def is_blocked(self) -> bool:
        """Refused everything: blocked by an admin, or erased."""
        return self.status is not UserStatus.ACTIVE

    @property
    def is_erased(self) -> bool:
        return self.status is UserStatus.ERASED

    def ensure_active(self) -> None:
        if self.is_blocked:
            raise UserBlockedError

    @event(ProfileUpdated)
    def update_profile(self, name: str, avatar_url: str | None) -> None:
        self.name = name
        self.avatar_url = avatar_url

    def set_preferences(self, preferences: Preferences) -> None:
        if preferences != self.preferences:
            self._set_preferences(
                list(preferences.channels), preferences.language, preferences.timezone
            )

    @event("PreferencesChanged")
    def _set_preferences(self, channels: list[str], language: str, timezone: str) -> None:
        self.preferences = Preferences(tuple(channels), language, timezone)

    @event(PasswordChanged)
    def change_password(self, password_hash: str, changed_at: datetime) -> None:
        self.password_hash = password_hash
        self.password_changed_at = changed_at

    @event(PasswordRehashed)
    def rehash_password(self, password_hash: str) -> None:
        self.password_hash = password_hash

    def accepts_session_started(self, started: datetime) -> bool:
        """Sessions opened before the last password change are over."""
        return self.password_changed_at is None or started >= self.password_changed_at

    def change_role(self, role: Role) -> None:
        if role is not self.role:
            self._change_role(role=role.value)

    @event("RoleChanged")
    def _change_role(self, role: str) -> None:
        self.role = Role(role)

    def block(self, reason: str) -> None:
        if not self.is_blocked:
            self._block(reason=reason)

    @event("Blocked")
    def _block(self, reason: str) -> None:
        self.status = UserStatus.BLOCKED

    def unblock(self) -> None:
        if self.status is UserStatus.BLOCKED:
            self._unblock()

    @event("Unblocked")
    def _unblock(self) -> None:
        self.status = UserStatus.ACTIVE

    def link_oauth_account(self, provider: str, provider_user_id: str) -> None:
        linked = self.oauth_accounts.get(provider)
        if linked == provider_user_id:
            return
        if linked is not None:
            raise OAuthAccountTakenError(f"A {provider} account is already linked to this user")
        self._link_oauth_account(provider=provider, provider_user_id=provider_user_id)

    @event(OAuthAccountLinked)
    def _link_oauth_account(self, provider: str, provider_user_id: str) -> None:
        self.oauth_accounts[provider] = provider_user_id

    def register_push_device(self, token: str) -> None:
        if token not in self.push_devices:
            self._register_push_device(token)

    class PushDeviceRegistered(Aggregate.Event):
        token: str
        # A device token lets whoever holds our FCM key reach that phone: not for the topic.
        private_fields: ClassVar[frozenset[str]] = frozenset({"token"})
        personal_fields: ClassVar[frozenset[str]] = frozenset({"token"})

    class PushDeviceRemoved(Aggregate.Event):
        token: str
        private_fields: ClassVar[frozenset[str]] = frozenset({"token"})
        personal_fields: ClassVar[frozenset[str]] = frozenset({"token"})

    @event(PushDeviceRegistered)
    def _register_push_device(self, token: str) -> None:
        # A forgotten phone should not keep a slot forever: the oldest device makes room.
        self.push_devices = (*self.push_devices, token)[-self.MAX_PUSH_DEVICES :]

    def remove_push_device(self, token: str) -> None:
        if token in self.push_devices:
            self._remove_push_device(token)

    @event(PushDeviceRemoved)
    def _remove_push_device(self, token: str) -> None:
        self.push_devices = tuple(t for t in self.push_devices if t != token)

    def claims(self) -> list[tuple[str, str]]:
        """The unique values this user holds (see UniqueKey): e-mail, phone, OAuth identities."""
        held = [("email", self.email), ("phone", self.phone)]
        held += [(f"oauth:{p}", subject) for p, subject in self.oauth_accounts.items()]
        return [(kind, value) for kind, value in held if value]

    def erase(self) -> None:
        """Forget who this user is; ids, roles and what they did stay for the books."""
        if not self.is_erased:
            self._erase()

    @event(PersonalDataErased)
    def _erase(self) -> None:
        self.email = self.phone = self.name = self.avatar_url = self.password_hash = None
        self.oauth_accounts = {}
        self.push_devices = ()
        self.status = UserStatus.ERASED
