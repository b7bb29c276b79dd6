"""Ports the notification use cases need: a mailer and a push sender.

Both raise ``DeliveryError`` when a message did not get through. ``permanent`` tells the sender
whether asking again could help: a refused connection or a 4xx SMTP reply may pass later; a
rejected recipient or an unregistered device will not, so those fail at once, without retries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class DeliveryError(Exception):
    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.permanent = reason, permanent


@dataclass(frozen=True)
class Email:
    message_id: str  # the notification's id: one message, however often it is attempted
    to: str
    to_name: str
    subject: str
    body: str  # plain text


@dataclass(frozen=True)
class Push:
    message_id: str  # the notification's id
    token: str  # the device's registration token
    title: str
    body: str
    data: dict[str, str] = field(default_factory=dict)


class Mailer(Protocol):
    def send(self, email: Email) -> None: ...

    def forget(self, address: str) -> None:
        """Drop the copies kept here of what was sent to ``address`` (an erased learner's)."""


class PushSender(Protocol):
    def send(self, push: Push) -> None: ...

    def forget(self, token: str) -> None:
        """Drop the copies kept here of what was pushed to the device ``token``."""
