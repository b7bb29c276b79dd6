"""Who is acting: a user id and role, as the write side's authorization rules see them."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.errors import ForbiddenError


@dataclass(frozen=True)
class Actor:
    user_id: UUID
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def is_staff_of(self, instructor_id: UUID) -> bool:
        """The course's instructor and admins: never locked out of any part of it."""
        return self.is_admin or self.user_id == instructor_id

    def ensure_author(self) -> None:
        """Only instructors and admins create courses."""
        if self.role not in ("instructor", "admin"):
            raise ForbiddenError("Only instructors and admins author courses")

    def ensure_owns(self, owner_id: UUID) -> None:
        """Instructors change their own courses; admins any."""
        if not self.is_admin and self.user_id != owner_id:
            raise ForbiddenError("Only the course's instructor or an admin may change it")
