"""The review queue alone: oldest first, never one's own work or a duplicate, leases that run
out, reviews counted against the need, the rubric's range, and the module's review rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from domain.errors import InvalidInputError
from domain.reviews.review_queue import (
    MAX_REVIEWS,
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


def replayed(queue: ReviewQueue) -> ReviewQueue:
    """The queue rebuilt from the events it recorded so far."""
    copy = None
    for recorded in queue.collect_events():
        copy = recorded.mutate(copy)
    assert copy is not None
    return copy


def test_a_queue_opens_with_the_reviews_needed_given_and_none_required():
    queue = replayed(ReviewQueue(uuid4(), "m1", 3))
    assert (queue.reviews_needed, queue.reviews_required) == (3, 0)


def test_a_modules_rules_are_recorded_in_one_event_and_replay():
    queue, _ = queue_of(uuid4())
    queue.collect_events()
    queue.set_rules(1, 4)
    (rules_set,) = queue.collect_events()
    assert isinstance(rules_set, ReviewQueue.RulesSet)
    assert (rules_set.reviews_needed, rules_set.reviews_required) == (1, 4)
    assert (queue.reviews_needed, queue.reviews_required) == (1, 4)


def test_rules_replay_after_the_queue_opened_without_them():
    queue, _ = queue_of(uuid4())
    queue.set_rules(3, 2)
    again = replayed(queue)
    assert (again.reviews_needed, again.reviews_required) == (3, 2)


def test_the_same_rules_again_record_nothing():
    queue, _ = queue_of(uuid4(), needed=2)
    queue.collect_events()
    queue.set_rules(2, 0)
    assert queue.collect_events() == []


@pytest.mark.parametrize(
    ("needed", "required", "named"),
    [
        (0, 0, "reviewsNeeded must be between 1 and 20"),
        (MAX_REVIEWS + 1, 0, "reviewsNeeded must be between 1 and 20"),
        (2, -1, "reviewsRequired must be between 0 and 20"),
        (2, MAX_REVIEWS + 1, "reviewsRequired must be between 0 and 20"),
    ],
)
def test_rules_outside_their_range_are_refused(needed, required, named):
    queue, _ = queue_of(uuid4())
    queue.collect_events()
    with pytest.raises(InvalidInputError, match=named):
        queue.set_rules(needed, required)
    assert queue.collect_events() == []
    assert (queue.reviews_needed, queue.reviews_required) == (2, 0)


def test_fewer_reviews_needed_stop_handing_out_work_already_held_enough():
    ada, bob, cy = uuid4(), uuid4(), uuid4()
    queue, _ = queue_of(ada, needed=2)
    pull(queue, bob)
    queue.set_rules(1, 0)
    with pytest.raises(NothingToReviewError):
        queue.next_for(cy)


def test_more_reviews_needed_reopen_work_already_reviewed_enough():
    ada, bob, cy = uuid4(), uuid4(), uuid4()
    queue, (a,) = queue_of(ada, needed=1)
    assignment, _ = pull(queue, bob)
    queue.record_review(assignment, 4, {})
    queue.set_rules(2, 0)
    assert queue.next_for(cy) == a


def test_the_same_rubric_again_is_accepted_after_reviews_were_submitted():
    ada, bob = uuid4(), uuid4()
    queue, _ = queue_of(ada)
    queue.set_rubric(Rubric(("clarity",), 0, 10))
    assignment, _ = pull(queue, bob)
    queue.record_review(assignment, 5, {"clarity": 5})
    queue.collect_events()
    queue.set_rubric(Rubric(("clarity",), 0, 10))
    assert queue.collect_events() == []
