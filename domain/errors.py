"""Domain errors: rules the aggregates refuse to break.

Each family maps to one HTTP status at the API edge; the domain itself knows nothing of HTTP.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A command broke a business rule; ``details`` (plain data, named as the API names
    things) says more where it helps the caller put it right."""

    message = "The request breaks a business rule"
    details: Any = None

    def __init__(self, message: str | None = None, details: Any = None) -> None:
        super().__init__(message or self.message)
        self.details = details


class NotFoundError(DomainError):
    """The thing asked for does not exist."""

    message = "Not found"


class ConflictError(DomainError):
    """The command conflicts with the current state (a duplicate, a race lost)."""

    message = "Conflict with the current state"


class InvalidInputError(DomainError):
    """The command is well-formed but its values are not acceptable."""

    message = "Invalid input data"


class UnauthorizedError(DomainError):
    """The caller could not be authenticated."""

    message = "Invalid credentials"


class ForbiddenError(DomainError):
    """The caller is known but may not do this."""

    message = "Access denied"


class UnavailableError(DomainError):
    """A service the command depends on did not answer in time; the caller may retry."""

    message = "A dependent service is unavailable; try again later"


class TooLargeError(DomainError):
    """What was sent is larger than allowed (an upload past the size limit)."""

    message = "Content too large"


class PaymentRequiredError(DomainError):
    """The payment was declined, or a promo could not be honoured: nothing was charged."""

    message = "Payment declined or invalid promo"
