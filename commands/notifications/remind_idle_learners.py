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
from commands.notifications.request_notification import (
    RequestNotification,
    reachable_channels,
    request_notification,
)
from domain.notifications.notification import Channel


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
    clock: Callable[[], datetime],
    reminder_after: timedelta,
) -> int:
    """Request the reminders due; answer how many enrollments were considered."""
    idle = idle_enrollments(clock() - reminder_after)
    for enrollment in idle:
        user = identity.get_user(enrollment.user_id)
        if user.is_blocked:
            continue
        for channel in reachable_channels(user):
            request_notification(reminder(enrollment, channel), notifications, identity, clock)
    return len(idle)


def reminder(enrollment: IdleEnrollment, channel: Channel) -> RequestNotification:
    title = enrollment.course_title
    return RequestNotification(
        enrollment.user_id,
        channel,
        "course_reminder",
        f"Pick up {title} where you left off",
        f"You have not opened {title} since {enrollment.last_active:%Y-%m-%d}. "
        "Your place is saved: continue from the last lesson you visited.",
        f"reminder:{enrollment.enrollment_id}:{enrollment.last_active.isoformat()}",
        data={"courseId": str(enrollment.course_id), "enrollmentId": str(enrollment.enrollment_id)},
    )
