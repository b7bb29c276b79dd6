"""Queries on the users read model."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from projections.users import users
from schemas.auth import OwnProfileView, ProfileView, UserPage, UserPreferencesView
from schemas.base import iso_utc


def to_profile(row) -> ProfileView:
    return ProfileView(
        user_id=row.id,
        username=row.username,
        email=row.email,
        name=row.name,
        avatar_url=row.avatar_url,
        role=row.role,
        phone=row.phone,
        status=row.status,
        created_at=iso_utc(row.created_at),
    )


def preferences_of(row) -> UserPreferencesView:
    return UserPreferencesView(
        notification_channels=row.notification_channels,
        language=row.language,
        timezone=row.timezone,
    )


def profile(conn: Connection, user_id: str) -> OwnProfileView | None:
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    if row is None:
        return None
    return OwnProfileView(**dict(to_profile(row)), preferences=preferences_of(row))


def preferences(conn: Connection, user_id: str) -> UserPreferencesView | None:
    columns = users.c.notification_channels, users.c.language, users.c.timezone
    row = conn.execute(select(*columns).where(users.c.id == user_id)).first()
    return preferences_of(row) if row else None


def user_page(
    conn: Connection, page: int, page_size: int, role: str | None, status: str | None
) -> UserPage:
    filters = []
    if role:
        filters.append(users.c.role == role)
    if status:
        filters.append(users.c.status == status)
    total = conn.execute(select(func.count()).select_from(users).where(*filters)).scalar_one()
    rows = conn.execute(
        select(users)
        .where(*filters)
        .order_by(users.c.created_at, users.c.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return UserPage(
        users=[to_profile(r) for r in rows], page=page, page_size=page_size, total=total
    )
