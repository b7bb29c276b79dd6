"""Requests, answers and views of the peer-review endpoints (spec §9)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from schemas.base import CamelModel
from schemas.learning import PartId

Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2048)]
Criterion = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
# A rating scale is the module's own (1..5, 0..10, 0..100, …); finite and of a human size.
Rating = Annotated[float, Field(ge=-1000, le=1000, allow_inf_nan=False)]


class SubmissionRequest(CamelModel):
    course_id: UUID
    module_id: PartId
    content: Annotated[str, Field(max_length=50_000)] | None = None
    url: Url | None = None


class SubmissionCreatedResponse(CamelModel):
    submission_id: str
    message: str


class AssignRequest(CamelModel):
    course_id: UUID
    module_id: PartId
    reviewer_id: UUID
    submitter_id: UUID


class AssignmentCreatedResponse(CamelModel):
    assignment_id: str
    message: str


class NextRequest(CamelModel):
    course_id: UUID
    module_id: PartId


class RubricResponse(CamelModel):
    criteria: list[str]
    min_rating: float
    max_rating: float


class PulledAssignmentResponse(CamelModel):
    """Work to review; who wrote it is not shown, so reviews stay anonymous."""

    assignment_id: str
    submission_id: str
    course_id: str
    module_id: str
    content: str | None
    url: str | None
    assigned_at: str
    lease_expires_at: str
    rubric: RubricResponse


class ReviewRequest(CamelModel):
    assignment_id: UUID
    reviewer_id: UUID | None = None  # the caller; the spec sends it, so it must match
    feedback: Annotated[str, Field(max_length=10_000)]
    rating: Rating
    criteria: dict[Criterion, Rating] = Field(default_factory=dict, max_length=20)


class ReviewSubmittedResponse(CamelModel):
    review_id: str
    message: str


class RubricRequest(CamelModel):
    """A module's rubric and, optionally, its rules; a rule left out keeps its value (when the
    queue opens: reviewsNeeded from the settings, reviewsRequired 0)."""

    course_id: UUID
    module_id: PartId
    criteria: list[Criterion] = Field(default_factory=list, max_length=20)
    min_rating: Rating = 1
    max_rating: Rating = 5
    # M: reviews each submission gets from the queue; N: reviews to do before seeing one's own.
    # The module's rule (1..20, 0..20) is the domain's, which names it; this only keeps numbers
    # of any size away from it.
    reviews_needed: Annotated[int, Field(ge=-1000, le=1000)] | None = None
    reviews_required: Annotated[int, Field(ge=-1000, le=1000)] | None = None


class RubricSetResponse(RubricResponse):
    reviews_needed: int
    reviews_required: int
    message: str


class ReviewView(CamelModel):
    review_id: str
    assignment_id: str
    reviewer_id: str
    course_id: str
    module_id: str
    feedback: str
    rating: float
    criteria: dict[str, float]
    submitted_at: str


class WithheldReviewsView(CamelModel):
    """Reviews of the learner's work in a module, kept back until they review enough there."""

    course_id: str
    module_id: str
    reviews_required: int
    reviews_done: int
    reviews_withheld: int


class SubmitterReviewsView(CamelModel):
    reviews: list[ReviewView]
    average_rating: float | None  # of the reviews shown; null when every review is withheld
    criteria_medians: dict[str, float] | None = None  # when a rubric scored criteria
    withheld: list[WithheldReviewsView] = Field(default_factory=list)
