"""The review queue alone: oldest first, never one's own work or a duplicate, leases that run
out, reviews counted against the need, and the rubric's range."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from domain.errors import InvalidInputError
from domain.reviews.review_queue import (
    AlreadyAssignedError,
    NothingToReviewError,
    OwnWorkError,
    ReviewQueue,
    RubricInUseError,
)
from domain.reviews.rubric import Rubric

NOW, LEASE = datetime(2025, 7, 29, 12, tzinfo=UTC), timedelta(hours=8)


def queue_of(*authors: UUID, needed: int = 2) -> tuple[ReviewQueue, list[UUID]]:
    """A queue with one submission per author, in that order; answer it and the submissions."""
    queue, submissions = ReviewQueue(uuid4(), "m1", needed), []
    for author in authors:
        submissions.append(uuid4())
        queue.enqueue(submissions[-1], author)
    return queue, submissions


def pull(queue: ReviewQueue, reviewer: UUID, now: datetime = NOW) -> tuple[UUID, UUID]:
    """(assignment id, submission id) handed to the reviewer."""
    submission, assignment = queue.next_for(reviewer), uuid4()
    queue.assign(assignment, reviewer, submission, now, LEASE)
    return assignment, submission


def test_the_oldest_submission_comes_first_but_never_the_reviewers_own():
    ada, bob, cy = uuid4(), uuid4(), uuid4()
    queue, (a, b, _) = queue_of(ada, bob, cy)
    assert pull(queue, bob)[1] == a
    assert pull(queue, ada)[1] == b


def test_a_submission_with_enough_reviewers_is_passed_over():
    ada, bob, cy, dee = uuid4(), uuid4(), uuid4(), uuid4()
    queue, (a, b) = queue_of(ada, bob, needed=2)
    assert [pull(queue, r)[1] for r in (bob, cy, dee)] == [a, a, b]


def test_a_reviewer_is_never_handed_work_they_hold_or_reviewed():
    ada, bob = uuid4(), uuid4()
    queue, (a,) = queue_of(ada, needed=3)
    assignment, _ = pull(queue, bob)
    with pytest.raises(NothingToReviewError):
        queue.next_for(bob)
    queue.record_review(assignment, 4, {})
    with pytest.raises(NothingToReviewError):
        queue.next_for(bob)
    with pytest.raises(AlreadyAssignedError):
        queue.assign(uuid4(), bob, a, NOW, LEASE)


def test_nobody_is_assigned_their_own_work_even_explicitly():
    ada = uuid4()
    queue, (a,) = queue_of(ada)
    with pytest.raises(OwnWorkError):
        queue.assign(uuid4(), ada, a, NOW, LEASE)


def test_an_expired_lease_returns_the_work_to_the_queue():
    ada, bob, cy = uuid4(), uuid4(), uuid4()
    queue, (a,) = queue_of(ada, needed=1)
    assignment, _ = pull(queue, bob)
    assert queue.expired(NOW + LEASE - timedelta(seconds=1)) == []
    with pytest.raises(NothingToReviewError):
        queue.next_for(cy)
    assert queue.expired(NOW + LEASE) == [assignment]
    queue.release(assignment)
    assert queue.next_for(cy) == a


def test_completed_reviews_count_towards_the_need():
    ada, bob, cy = uuid4(), uuid4(), uuid4()
    queue, _ = queue_of(ada, needed=1)
    assignment, _ = pull(queue, bob, NOW)
    queue.record_review(assignment, 5, {})
    assert queue.expired(NOW + 2 * LEASE) == []  # a review ends the lease
    with pytest.raises(NothingToReviewError):
        queue.next_for(cy)


def test_ratings_and_scores_keep_to_the_rubric():
    ada, bob = uuid4(), uuid4()
    queue, _ = queue_of(ada)
    queue.set_rubric(Rubric(("clarity", "depth"), 0, 10))
    assignment, _ = pull(queue, bob)
    for rating, scores in ((11, {"clarity": 5, "depth": 5}), (5, {"clarity": 5}), (5, {})):
        with pytest.raises(InvalidInputError):
            queue.record_review(assignment, rating, scores)
    queue.record_review(assignment, 7.5, {"clarity": 10, "depth": 0})
    with pytest.raises(RubricInUseError):
        queue.set_rubric(Rubric())


def test_a_rubric_needs_a_range_and_distinct_criteria():
    with pytest.raises(InvalidInputError):
        Rubric((), 5, 1)
    with pytest.raises(InvalidInputError):
        Rubric(("clarity", "clarity"))
