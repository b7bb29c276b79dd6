"""Remind learners of courses they have left alone for a while (spec §4 "course reminders").

One reminder per stretch of inactivity: its cause names the enrollment and the moment it was
last active, so checking again before the learner returns requests nothing new, and coming
back then falling idle again earns a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from commands.applications import Identity, Notifications
from commands.notifications.request_notice import RequestNotice, request_notice
from commands.notifications.wording import Day, Wording


@dataclass(frozen=True)
class IdleEnrollment:
    enrollment_id: UUID
    user_id: UUID
    course_id: UUID
    course_title: str
    last_active: datetime


class IdleEnrollments(Protocol):
    def __call__(self, before: datetime) -> list[IdleEnrollment]:
        """In-progress enrollments whose learner has not been active since ``before``."""


@dataclass(frozen=True)
class RemindIdleLearners:
    pass


def remind_idle_learners(
    cmd: RemindIdleLearners,
    idle_enrollments: IdleEnrollments,
    notifications: Notifications,
    identity: Identity,
    wording: Wording,
    clock: Callable[[], datetime],
    reminder_after: timedelta,
) -> int:
    """Request the reminders due; answer how many enrollments were considered."""
    idle = idle_enrollments(clock() - reminder_after)
    for enrollment in idle:
        user = identity.get_user(enrollment.user_id)
        if not user.is_blocked:
            request_notice(reminder(enrollment), notifications, identity, wording, clock)
    return len(idle)


def reminder(enrollment: IdleEnrollment) -> RequestNotice:
    return RequestNotice(
        enrollment.user_id,
        "course_reminder",
        {"course": enrollment.course_title, "since": Day(enrollment.last_active)},
        f"reminder:{enrollment.enrollment_id}:{enrollment.last_active.isoformat()}",
        data={"courseId": str(enrollment.course_id), "enrollmentId": str(enrollment.enrollment_id)},
    )
