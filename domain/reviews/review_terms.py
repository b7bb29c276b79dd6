"""The terms a peer review is told in, apart from the ReviewAssignment aggregate: where an
assignment stands, the id of the review it produces, and the refusal of anyone but its reviewer.

Read models and API answers speak these terms too; keeping them out of the aggregate's module
lets them do so without reaching into the aggregate.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import ForbiddenError


class AssignmentStatus(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    EXPIRED = "expired"


class NotTheReviewerError(ForbiddenError):
    message = "Only the assigned reviewer may review this submission"


def review_id(assignment_id: UUID | str) -> str:
    """The spec's peer review record: one per completed assignment."""
    return str(uuid5(NAMESPACE_URL, f"campus:peer-review:{assignment_id}"))
