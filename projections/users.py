"""The users read model: profiles for the profile endpoint and the admin's user list, with
each user's preferences (the domain's defaults until they choose their own)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
)

from domain.users.preferences import Preferences
from projections.batch import TableBatch
from projections.metadata import metadata
from schemas.events import PublishedEvent
from schemas.published import PublishedPayload
from schemas.published.users import (
    UserBlocked,
    UserOAuthAccountLinked,
    UserPasswordChanged,
    UserPasswordRehashed,
    UserPersonalDataErased,
    UserPreferencesChanged,
    UserProfileUpdated,
    UserRegistered,
    UserRoleChanged,
    UserUnblocked,
)

users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("phone", String(32)),
    Column("name", String(200), nullable=False),
    Column("username", String(200), nullable=False),
    Column("avatar_url", Text),
    Column("role", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("notification_channels", JSON, nullable=False),
    Column("language", String(16), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_users_role_status_created", "role", "status", "created_at"),
    Index("ix_users_created", "created_at"),
)

user_accounts = Table(
    "user_accounts",
    metadata,
    Column("provider", String(32), primary_key=True),
    Column("provider_user_id", String(200), primary_key=True),
    Column("user_id", String(36), nullable=False, index=True),
    Column("linked_at", DateTime(timezone=True), nullable=False),
)


DEFAULTS = Preferences()


class UsersBatch:
    def __init__(self) -> None:
        self.users = TableBatch(users)
        self.accounts = TableBatch(user_accounts, key="provider_user_id")
        self.erased: set[str] = set()

    def flush(self, conn: Connection) -> None:
        self.users.flush(conn)
        self.accounts.flush(conn)
        if self.erased:
            conn.execute(delete(user_accounts).where(user_accounts.c.user_id.in_(self.erased)))


def registered(event: PublishedEvent, batch: UsersBatch) -> None:
    data = UserRegistered.of(event)
    email = data.email or erased_email(event.aggregate_id)
    batch.users.insert(
        {
            "id": event.aggregate_id,
            "email": email,
            "phone": data.phone,
            "name": data.name or "",
            "username": email.split("@")[0],
            "avatar_url": data.avatar_url,
            "role": data.role,
            "status": "active",
            "notification_channels": list(DEFAULTS.channels),
            "language": DEFAULTS.language,
            "timezone": DEFAULTS.timezone,
            "created_at": event.timestamp,
            "updated_at": event.timestamp,
            "version": event.aggregate_version,
        }
    )


P = TypeVar("P", bound=PublishedPayload)


def changed(
    model: type[P] | None = None, /, **columns: Callable[[P], object]
) -> Callable[[PublishedEvent, UsersBatch], None]:
    """A handler that sets ``columns``, computed from the payload read as ``model``, on the
    user's row (with no model, from nothing: constants, or only the row's version)."""

    def handle(event: PublishedEvent, batch: UsersBatch) -> None:
        payload: Any = model.of(event) if model else None
        values = {name: compute(payload) for name, compute in columns.items()}
        batch.users.update(
            event.aggregate_id,
            values | {"updated_at": event.timestamp, "version": event.aggregate_version},
        )

    return handle


def erased_email(user_id: str) -> str:
    """What stands for an erased user's e-mail: unique, and no one's (RFC 2606's .invalid)."""
    return f"erased-{user_id}@erased.invalid"


def erased(event: PublishedEvent, batch: UsersBatch) -> None:
    changed(
        email=lambda _: erased_email(event.aggregate_id),
        username=lambda _: "erased",
        name=lambda _: "",
        phone=lambda _: None,
        avatar_url=lambda _: None,
        status=lambda _: "erased",
    )(event, batch)
    batch.erased.add(event.aggregate_id)


def oauth_account_linked(event: PublishedEvent, batch: UsersBatch) -> None:
    changed()(event, batch)
    linked = UserOAuthAccountLinked.of(event)
    if linked.provider_user_id is None:
        return  # an erased user's: nothing left to find them by
    batch.accounts.insert(
        {
            "provider": linked.provider,
            "provider_user_id": linked.provider_user_id,
            "user_id": event.aggregate_id,
            "linked_at": event.timestamp,
        }
    )


class UsersProjection:
    name = "users"
    tables = (users, user_accounts)
    handlers: dict[str, Callable[[PublishedEvent, UsersBatch], None]] = {
        UserRegistered.NAME: registered,
        UserProfileUpdated.NAME: changed(
            UserProfileUpdated, name=lambda p: p.name or "", avatar_url=lambda p: p.avatar_url
        ),
        UserPasswordChanged.NAME: changed(),
        UserPasswordRehashed.NAME: changed(),
        UserRoleChanged.NAME: changed(UserRoleChanged, role=lambda p: p.role),
        UserBlocked.NAME: changed(status=lambda _: "blocked"),
        UserUnblocked.NAME: changed(status=lambda _: "active"),
        UserOAuthAccountLinked.NAME: oauth_account_linked,
        UserPersonalDataErased.NAME: erased,
        UserPreferencesChanged.NAME: changed(
            UserPreferencesChanged,
            notification_channels=lambda p: p.channels,
            language=lambda p: p.language,
            timezone=lambda p: p.timezone,
        ),
    }

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        batch = UsersBatch()
        for event in events:
            if handler := self.handlers.get(event.event_type):
                handler(event, batch)
        batch.flush(conn)
