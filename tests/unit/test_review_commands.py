"""Peer review through the bus: learners submit work to a module's queue, pull work to review
and review it by the module's rubric; instructors set the rubric and assign reviews; leases
that run out are taken back."""

from __future__ import annotations

import time

import pytest

from commands.reviews.assign_review import AssignReview, ReviewerNotEnrolledError
from commands.reviews.pull_review import PullReview
from commands.reviews.release_lapsed_reviews import ReleaseLapsedReviews
from commands.reviews.rules import NotEnrolledError, NotTeachingError
from commands.reviews.set_rubric import SetRubric
from commands.reviews.submit_review import SubmitReview
from commands.reviews.submit_work import SubmitWork
from domain.actor import Actor
from domain.errors import InvalidInputError
from domain.reviews.review_assignment import AlreadyReviewedError, LeaseExpiredError
from domain.reviews.review_queue import AlreadyAssignedError, NothingToReviewError, RubricInUseError
from domain.reviews.review_terms import AssignmentStatus, NotTheReviewerError
from domain.reviews.submission import AlreadySubmittedError
from ops.bootstrap import Campus
from tests.unit.bus import Course, admin, enrolled, instructor, person, published_course

LEASE_HOURS = 0.05 / 3600  # 50 ms


def classmates(campus: Campus, *names: str) -> tuple[Course, list[Actor]]:
    course = published_course(campus, instructor(campus))
    learners = [person(campus, name) for name in names]
    for learner in learners:
        enrolled(campus, learner, course)
    return course, learners


def submit(campus: Campus, learner: Actor, course: Course, text: str = "My essay"):
    return campus.bus.handle(SubmitWork(learner, course.id, course.module_id, content=text))


def pull(campus: Campus, reviewer: Actor, course: Course):
    return campus.bus.handle(PullReview(reviewer, course.id, course.module_id))


def review(campus: Campus, reviewer: Actor, assignment_id, scores=()):
    command = SubmitReview(reviewer, assignment_id, 4, "Clear and well argued", scores)
    return campus.bus.handle(command)


def test_only_enrolled_learners_submit_work(campus):
    course = published_course(campus, instructor(campus))
    with pytest.raises(NotEnrolledError):
        submit(campus, person(campus, "Ada"), course)


def test_work_is_submitted_once_per_module(campus):
    course, (ada,) = classmates(campus, "Ada")
    submit(campus, ada, course)
    with pytest.raises(AlreadySubmittedError):
        submit(campus, ada, course, "Second thoughts")


def test_a_learner_is_never_handed_their_own_work(campus):
    course, (ada,) = classmates(campus, "Ada")
    submit(campus, ada, course)
    with pytest.raises(NothingToReviewError):
        pull(campus, ada, course)


def test_pulling_hands_out_the_oldest_work_first(campus):
    course, (ada, bob, cyd) = classmates(campus, "Ada", "Bob", "Cyd")
    first = submit(campus, ada, course)
    submit(campus, bob, course)
    assert pull(campus, cyd, course).submission.id == first.id


def test_work_with_the_reviews_it_needs_is_not_handed_out_again(campus):
    course, (ada, bob, cyd) = classmates(campus, "Ada", "Bob", "Cyd")
    campus.bus.handle(SetRubric(course.owner, course.id, course.module_id, reviews_needed=1))
    submit(campus, ada, course)
    pull(campus, bob, course)
    with pytest.raises(NothingToReviewError):
        pull(campus, cyd, course)


def test_only_the_assigned_reviewer_submits_the_review(campus):
    course, (ada, bob, cyd) = classmates(campus, "Ada", "Bob", "Cyd")
    submit(campus, ada, course)
    assignment = pull(campus, bob, course).assignment
    with pytest.raises(NotTheReviewerError):
        review(campus, cyd, assignment.id)


def test_a_review_is_submitted_once(campus):
    course, (ada, bob) = classmates(campus, "Ada", "Bob")
    submit(campus, ada, course)
    assignment = pull(campus, bob, course).assignment
    assert review(campus, bob, assignment.id).status is AssignmentStatus.COMPLETED
    with pytest.raises(AlreadyReviewedError):
        review(campus, bob, assignment.id)


def test_a_review_scores_exactly_the_rubrics_criteria(campus):
    course, (ada, bob) = classmates(campus, "Ada", "Bob")
    rubric = SetRubric(course.owner, course.id, course.module_id, criteria=("clarity",))
    campus.bus.handle(rubric)
    submit(campus, ada, course)
    assignment = pull(campus, bob, course).assignment
    with pytest.raises(InvalidInputError):
        review(campus, bob, assignment.id, (("style", 3.0),))
    assert campus.apps["learning"].get_assignment(assignment.id).status is AssignmentStatus.PENDING
    assert review(campus, bob, assignment.id, (("clarity", 3.0),)).rating == 4


def test_a_rubric_cannot_change_once_work_was_reviewed_by_it(campus):
    course, (ada, bob) = classmates(campus, "Ada", "Bob")
    submit(campus, ada, course)
    review(campus, bob, pull(campus, bob, course).assignment.id)
    rubric = SetRubric(course.owner, course.id, course.module_id, criteria=("clarity",))
    with pytest.raises(RubricInUseError):
        campus.bus.handle(rubric)


def test_only_the_courses_instructor_or_an_admin_sets_a_rubric(campus):
    course, (ada,) = classmates(campus, "Ada")
    with pytest.raises(NotTeachingError):
        campus.bus.handle(SetRubric(ada, course.id, course.module_id, criteria=("clarity",)))
    queue = campus.bus.handle(SetRubric(admin(campus), course.id, course.module_id, ("clarity",)))
    assert queue.rubric.criteria == ("clarity",)


def test_an_instructor_may_assign_more_reviews_than_the_work_needs(campus):
    course, (ada, bob, cyd) = classmates(campus, "Ada", "Bob", "Cyd")
    campus.bus.handle(SetRubric(course.owner, course.id, course.module_id, reviews_needed=1))
    submit(campus, ada, course)
    pull(campus, bob, course)
    assign = AssignReview(course.owner, course.id, course.module_id, cyd.user_id, ada.user_id)
    assert campus.bus.handle(assign).reviewer_id == cyd.user_id


def test_a_reviewer_is_not_assigned_the_same_work_twice(campus):
    course, (ada, bob) = classmates(campus, "Ada", "Bob")
    submit(campus, ada, course)
    pull(campus, bob, course)
    assign = AssignReview(course.owner, course.id, course.module_id, bob.user_id, ada.user_id)
    with pytest.raises(AlreadyAssignedError):
        campus.bus.handle(assign)


def test_only_enrolled_learners_are_assigned_reviews(campus):
    course, (ada,) = classmates(campus, "Ada")
    submit(campus, ada, course)
    stranger = person(campus, "Bob")
    assign = AssignReview(course.owner, course.id, course.module_id, stranger.user_id, ada.user_id)
    with pytest.raises(ReviewerNotEnrolledError):
        campus.bus.handle(assign)


def test_only_the_courses_instructor_or_an_admin_assigns_reviews(campus):
    course, (ada, bob) = classmates(campus, "Ada", "Bob")
    submit(campus, ada, course)
    assign = AssignReview(bob, course.id, course.module_id, bob.user_id, ada.user_id)
    with pytest.raises(NotTeachingError):
        campus.bus.handle(assign)


def test_a_lapsed_lease_hands_the_work_to_the_next_reviewer(campus_with):
    campus = campus_with(review_lease_hours=LEASE_HOURS, reviews_per_submission=1)
    course, (ada, bob, cyd) = classmates(campus, "Ada", "Bob", "Cyd")
    submit(campus, ada, course)
    lapsed = pull(campus, bob, course).assignment
    time.sleep(0.1)
    assert pull(campus, cyd, course).assignment.reviewer_id == cyd.user_id
    assert campus.apps["learning"].get_assignment(lapsed.id).status is AssignmentStatus.EXPIRED
    with pytest.raises(LeaseExpiredError):
        review(campus, bob, lapsed.id)


def test_the_sweep_takes_back_every_lapsed_lease(campus_with):
    campus = campus_with(review_lease_hours=LEASE_HOURS)
    course, (ada, bob) = classmates(campus, "Ada", "Bob")
    submit(campus, ada, course)
    lapsed = pull(campus, bob, course).assignment
    time.sleep(0.1)
    campus.follower().catch_up()  # the sweep finds lapsed leases in the read models
    assert campus.bus.handle(ReleaseLapsedReviews()) == 1
    assert campus.apps["learning"].get_assignment(lapsed.id).status is AssignmentStatus.EXPIRED
    assert campus.bus.handle(ReleaseLapsedReviews()) == 0
