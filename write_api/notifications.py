"""Notifications (spec §4): an admin sends one; a user reads their inbox's and registers the
devices push notifications reach."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from commands.notifications.read_notification import ReadNotification
from commands.notifications.send_notification import SendNotification
from commands.users.manage_push_devices import RegisterPushDevice, RemovePushDevice
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from schemas.base import iso_utc
from schemas.notifications import DeviceRequest, NotificationSentResponse, SendRequest
from write_api.courses import actor
from write_api.deps import Bus

router = APIRouter(prefix="/api/notifications", tags=["notifications"])


@router.post("/send", status_code=201, responses=documented(NotificationSentResponse, 201))
def send(body: SendRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Send a user a message by e-mail, in-app or push (admins); delivery follows, see the log."""
    notification = bus.handle(
        SendNotification(actor(user), body.user_id, body.type, body.message, body.subject)
    )
    answer = NotificationSentResponse(
        notification_id=str(notification.id), message="Notification sent successfully"
    )
    return success(answer.model_dump(by_alias=True), 201)


@router.post("/{notification_id}/read", responses=documented())
def mark_read(notification_id: UUID, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Mark one of your in-app notifications read."""
    notification = bus.handle(ReadNotification(actor(user), notification_id))
    return success(
        {
            "notificationId": str(notification.id),
            "readAt": iso_utc(notification.read_at),
            "message": "Notification marked read",
        }
    )


@router.post("/devices", status_code=201, responses=documented(status_code=201))
def register_device(body: DeviceRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Register this device's push token (Firebase Cloud Messaging) for push notifications."""
    bus.handle(RegisterPushDevice(user.user_id, body.token))
    return success({"message": "Device registered for push notifications"}, 201)


@router.post("/devices/remove", responses=documented())
def remove_device(body: DeviceRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Stop pushing to this device (on sign-out, say)."""
    bus.handle(RemovePushDevice(user.user_id, body.token))
    return success({"message": "Device removed"})
