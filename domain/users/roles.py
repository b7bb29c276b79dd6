"""What a user may do on Campus, apart from the User aggregate: admins give roles through the
API, which names them without reaching into the aggregate."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    STUDENT = "student"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"
    AUDITOR = "auditor"  # reads the event history (the audit API), and nothing else
