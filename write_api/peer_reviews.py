"""Peer reviews (spec §9): submit work, assign or pull reviews, review, set a module's rubric
and review rules."""

from __future__ import annotations

from fastapi import APIRouter

from commands.reviews.assign_review import AssignReview
from commands.reviews.pull_review import Pulled, PullReview
from commands.reviews.set_rubric import SetRubric
from commands.reviews.submit_review import SubmitReview
from commands.reviews.submit_work import SubmitWork
from domain.reviews.review_terms import NotTheReviewerError, review_id
from domain.reviews.rubric import Rubric
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from schemas.base import iso_utc
from schemas.peer_reviews import (
    AssignmentCreatedResponse,
    AssignRequest,
    NextRequest,
    PulledAssignmentResponse,
    ReviewRequest,
    ReviewSubmittedResponse,
    RubricRequest,
    RubricResponse,
    RubricSetResponse,
    SubmissionCreatedResponse,
    SubmissionRequest,
)
from write_api.courses import actor
from write_api.deps import Bus

router = APIRouter(prefix="/api/peer-reviews", tags=["peer reviews"])


@router.post("/submissions", status_code=201, responses=documented(SubmissionCreatedResponse, 201))
def submit_work(body: SubmissionRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Submit your work for a module of a course you are enrolled in (once per module)."""
    submission = bus.handle(
        SubmitWork(actor(user), body.course_id, body.module_id, body.content, body.url)
    )
    answer = SubmissionCreatedResponse(submission_id=str(submission.id), message="Work submitted")
    return success(answer.model_dump(by_alias=True), 201)


@router.post("/assign", status_code=201, responses=documented(AssignmentCreatedResponse, 201))
def assign(body: AssignRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Assign an enrolled learner to review a submission (the course's instructor or admins)."""
    assignment = bus.handle(
        AssignReview(
            actor(user), body.course_id, body.module_id, body.reviewer_id, body.submitter_id
        )
    )
    answer = AssignmentCreatedResponse(
        assignment_id=str(assignment.id), message="Review assignment created successfully"
    )
    return success(answer.model_dump(by_alias=True), 201)


@router.post("/next", status_code=201, responses=documented(PulledAssignmentResponse, 201))
def pull_next(body: NextRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Take the next work to review in a module from its queue (404 when there is none)."""
    pulled = bus.handle(PullReview(actor(user), body.course_id, body.module_id))
    return success(pulled_view(pulled).model_dump(by_alias=True), 201)


@router.post("/submit", responses=documented(ReviewSubmittedResponse))
def submit_review(body: ReviewRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Submit your review of an assignment: rating, feedback and the rubric's criteria."""
    if body.reviewer_id is not None and body.reviewer_id != user.user_id:
        raise NotTheReviewerError
    assignment = bus.handle(
        SubmitReview(
            actor(user),
            body.assignment_id,
            body.rating,
            body.feedback,
            tuple(body.criteria.items()),
        )
    )
    answer = ReviewSubmittedResponse(
        review_id=review_id(assignment.id), message="Review submitted successfully"
    )
    return success(answer.model_dump(by_alias=True))


@router.post("/rubric", responses=documented(RubricSetResponse))
def set_rubric(body: RubricRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Set a module's rubric, rating range and review rules (instructor or admins)."""
    queue = bus.handle(
        SetRubric(
            actor(user),
            body.course_id,
            body.module_id,
            tuple(body.criteria),
            body.min_rating,
            body.max_rating,
            body.reviews_needed,
            body.reviews_required,
        )
    )
    answer = RubricSetResponse(
        **rubric_view(queue.rubric).model_dump(),
        reviews_needed=queue.reviews_needed,
        reviews_required=queue.reviews_required,
        message="Rubric saved",
    )
    return success(answer.model_dump(by_alias=True))


def rubric_view(rubric: Rubric) -> RubricResponse:
    return RubricResponse(
        criteria=list(rubric.criteria), min_rating=rubric.min_rating, max_rating=rubric.max_rating
    )


def pulled_view(pulled: Pulled) -> PulledAssignmentResponse:
    assignment, submission = pulled.assignment, pulled.submission
    return PulledAssignmentResponse(
        assignment_id=str(assignment.id),
        submission_id=str(submission.id),
        course_id=str(submission.course_id),
        module_id=submission.module_id,
        content=submission.content,
        url=submission.url,
        assigned_at=iso_utc(assignment.assigned_at),
        lease_expires_at=iso_utc(assignment.expires_at),
        rubric=rubric_view(pulled.queue.rubric),
    )
