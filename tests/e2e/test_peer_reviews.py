"""Peer review (spec §9) on both backends: a cohort reviews a module through the queue, pulls
that race, leases that run out, who may review and read what, the feedback a learner sees, and
a module's rules: the reviews each work gets (M) and those a learner must do first (N)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from commands.reviews.pull_review import PullReview
from domain.actor import Actor
from domain.reviews.review_queue import NothingToReviewError
from tests.api import data, error
from tests.peer_reviews import Cohort, cohort, sweep_lapsed_leases


@pytest.fixture
def course(backend) -> Cohort:
    return cohort(backend)


def submitted(course: Cohort, size: int) -> tuple[list, list[str]]:
    """``size`` learners who submitted their work in turn; answer them and their submissions."""
    learners = [course.learner() for _ in range(size)]
    answers = [course.submit_work(who, f"Essay by learner {n}") for n, who in enumerate(learners)]
    assert all(a.status_code == 201 for a in answers), [a.text for a in answers]
    return learners, [data(a)["submissionId"] for a in answers]


def pulled(course: Cohort, who) -> dict:
    answer = course.pull(who)
    assert answer.status_code == 201, answer.text
    return data(answer)


def test_a_cohort_reviews_a_module_through_the_queue_and_each_sees_their_feedback(course):
    cohort, (s1, s2, s3, s4) = submitted(course, 4)
    first = [pulled(course, who) for who in cohort]
    second = [pulled(course, who) for who in cohort[:3]]
    nothing = error(course.pull(cohort[3]), 404)

    # Oldest first, never one's own, never twice, and no more reviewers than the work needs.
    assert [p["submissionId"] for p in first] == [s2, s1, s1, s2]
    assert [p["submissionId"] for p in second] == [s3, s3, s4]
    assert nothing["message"] == "Nothing to review"  # only their own work still needs a review
    work = first[0]
    assert work["content"] == "Essay by learner 1" and "submitterId" not in work
    assert work["rubric"] == {"criteria": [], "minRating": 1.0, "maxRating": 5.0}
    lease = datetime.fromisoformat(work["leaseExpiresAt"]) - datetime.fromisoformat(
        work["assignedAt"]
    )
    assert lease == timedelta(hours=8)

    # Each reviewer rates by their place in the cohort: the first 2 stars, the fourth 5.
    for rating, who, assignments in zip(
        (2, 3, 4, 5), cohort, zip(first, [*second, None], strict=True), strict=True
    ):
        for assignment in filter(None, assignments):
            answer = course.review(
                who, assignment["assignmentId"], rating, feedback=f"From {who.user_id}"
            )
            assert answer.status_code == 200, answer.text
    seen = [data(course.reviews_of(who, who, *cohort)) for who in cohort]

    assert [s["averageRating"] for s in seen] == [3.5, 3.5, 2.5, 4.0]
    assert [len(s["reviews"]) for s in seen] == [2, 2, 2, 1]
    reviewers = [{r["reviewerId"] for r in s["reviews"]} for s in seen]
    assert reviewers[0] == {cohort[1].user_id, cohort[2].user_id}
    assert reviewers[3] == {cohort[2].user_id}
    review = seen[0]["reviews"][0]
    assert review["feedback"] == f"From {review['reviewerId']}" and review["submittedAt"].endswith(
        "Z"
    )
    assert seen[0]["criteriaMedians"] is None


def test_concurrent_pulls_never_hand_work_to_more_reviewers_than_it_needs(course):
    cohort, submissions = submitted(course, 4)
    bus, course_id = course.running.campus.bus, UUID(course.course_id)

    def pull(who) -> tuple[str, str] | None:
        command = PullReview(Actor(UUID(who.user_id), "student"), course_id, course.module_id)
        try:
            got = bus.handle(command)
        except NothingToReviewError:
            return None
        return who.user_id, str(got.submission.id), str(got.assignment.id)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(pull, [*cohort, *cohort]))
    handed = [r for r in results if r is not None]

    authors = dict(zip(submissions, (who.user_id for who in cohort), strict=True))
    assert len({assignment for _, _, assignment in handed}) == len(handed) >= 6
    assert len({(reviewer, work) for reviewer, work, _ in handed}) == len(handed)
    assert all(authors[work] != reviewer for reviewer, work, _ in handed)
    assert all(sum(1 for _, w, _ in handed if w == work) <= 2 for work in submissions)


def test_an_expired_lease_returns_the_work_to_the_queue(course):
    (ada, bob), (work_of_ada, work_of_bob) = submitted(course, 2)
    cy, dee = course.learner(), course.learner()
    start = datetime.now(UTC)
    course.at(start)
    bobs, cys = pulled(course, bob), pulled(course, cy)
    assert [bobs["submissionId"], cys["submissionId"]] == [work_of_ada, work_of_ada]
    assert pulled(course, dee)["submissionId"] == work_of_bob  # ada's work has its reviewers

    course.at(start + timedelta(hours=7))
    assert course.review(cy, cys["assignmentId"], 5).status_code == 200  # in time
    course.at(start + timedelta(hours=8, minutes=1))
    again = pulled(course, dee)  # bob's lease ran out: ada's work needs a reviewer again

    assert again["submissionId"] == work_of_ada
    late = error(course.review(bob, bobs["assignmentId"], 4), 409)
    assert "expired" in late["message"]
    assert course.review(dee, again["assignmentId"], 3).status_code == 200
    seen = data(course.reviews_of(ada, ada, cy, dee))
    assert (seen["averageRating"], len(seen["reviews"])) == (4.0, 2)


def test_the_sweep_takes_back_a_lapsed_lease_without_anyone_pulling(course):
    _, (work_of_ada,) = submitted(course, 1)
    bob = course.learner()
    start = datetime.now(UTC)
    course.at(start)
    bobs = pulled(course, bob)

    assert sweep_lapsed_leases(course.running, bob, start + timedelta(hours=7)) == 0
    assert sweep_lapsed_leases(course.running, bob, start + timedelta(hours=8, minutes=1)) == 1

    late = error(course.review(bob, bobs["assignmentId"], 4), 409)
    assert "expired" in late["message"]
    assert pulled(course, course.learner())["submissionId"] == work_of_ada


def test_only_the_assigned_reviewer_reviews_once_within_the_rubric(course):
    (ada, bob, cy), _ = submitted(course, 3)
    refused = course.post(ada, "rubric", criteria=["clarity", "depth"])
    rubric = course.post(course.instructor, "rubric", criteria=["clarity", "depth"], maxRating=10)
    assert rubric.status_code == 200, rubric.text
    work = pulled(course, bob)
    assignment = work["assignmentId"]
    scores = {"criteria": {"clarity": 8, "depth": 6}}

    assert work["rubric"] == {"criteria": ["clarity", "depth"], "minRating": 1.0, "maxRating": 10.0}
    assert "instructor" in error(refused, 403)["message"]
    assert "assigned reviewer" in error(course.review(cy, assignment, 5, **scores), 403)["message"]
    error(course.review(bob, assignment, 5, reviewerId=cy.user_id, **scores), 403)
    assert "between 1 and 10" in error(course.review(bob, assignment, 11, **scores), 400)["message"]
    error(course.review(bob, assignment, 0.5, **scores), 400)
    error(course.review(bob, assignment, 5, criteria={"clarity": 8}), 400)
    error(course.review(bob, assignment, 5, criteria={"clarity": 8, "depth": 11}), 400)
    assert (
        "feedback"
        in error(course.review(bob, assignment, 5, feedback="  ", **scores), 400)["message"]
    )
    error(course.review(bob, str(uuid4()), 5, **scores), 404)
    done = course.review(bob, assignment, 7.5, reviewerId=bob.user_id, **scores)
    assert done.status_code == 200, done.text
    assert data(done)["message"] == "Review submitted successfully" and data(done)["reviewId"]
    assert "already" in error(course.review(bob, assignment, 6, **scores), 409)["message"]

    second = pulled(course, cy)
    assert second["submissionId"] == work["submissionId"]
    course.review(cy, second["assignmentId"], 9.5, criteria={"clarity": 4, "depth": 7})
    seen = data(course.reviews_of(ada, ada, bob, cy))
    assert seen["averageRating"] == 8.5
    assert seen["criteriaMedians"] == {"clarity": 6.0, "depth": 6.5}
    assert seen["reviews"][0]["criteria"] == {"clarity": 8.0, "depth": 6.0}


def test_submitting_work_needs_an_enrollment_and_happens_once_per_module(course):
    ada, stranger = course.learner(), course.stranger()
    assert "enrolled" in error(course.submit_work(stranger), 403)["message"]
    error(course.submit_work(ada, "   "), 400)
    error(course.post(ada, "submissions", moduleId="no-such-module", content="x"), 404)
    assert course.submit_work(ada).status_code == 201
    assert "already" in error(course.submit_work(ada), 409)["message"]
    error(course.pull(stranger), 403)


def test_the_courses_instructor_assigns_reviewers_explicitly(course):
    (ada, bob), (_, work_of_bob) = submitted(course, 2)
    cy, stranger = course.learner(), course.stranger()

    def assign(who, reviewer, submitter) -> object:
        return course.post(
            who, "assign", reviewerId=reviewer.user_id, submitterId=submitter.user_id
        )

    answer = assign(course.instructor, cy, ada)
    assert answer.status_code == 201, answer.text
    assert data(answer)["message"] == "Review assignment created successfully"
    assert assign(course.admin, bob, ada).status_code == 201
    assert "already" in error(assign(course.instructor, cy, ada), 409)["message"]
    error(assign(bob, cy, ada), 403)  # a learner does not assign
    assert "not enrolled" in error(assign(course.instructor, stranger, ada), 400)["message"]
    assert "own work" in error(assign(course.instructor, ada, ada), 400)["message"]
    error(assign(course.instructor, bob, cy), 404)  # cy submitted nothing
    # Ada's work has its two reviewers: the queue hands cy bob's work, not ada's again.
    assert pulled(course, cy)["submissionId"] == work_of_bob
    assert course.review(cy, data(answer)["assignmentId"], 4).status_code == 200


def test_who_may_read_a_learners_reviews(course):
    (ada, bob), _ = submitted(course, 2)
    work = pulled(course, bob)
    assert course.review(bob, work["assignmentId"], 4).status_code == 200
    other = cohort(course.running).instructor  # teaches another course
    stranger = course.stranger()

    assert data(course.reviews_of(ada, ada, bob))["averageRating"] == 4.0
    assert (
        data(course.reviews_of(course.admin, ada, bob))["reviews"][0]["reviewerId"] == bob.user_id
    )
    assert len(data(course.reviews_of(course.instructor, ada, bob))["reviews"]) == 1
    error(course.reviews_of(other, ada, bob), 404)  # none of their courses
    assert "submitter" in error(course.reviews_of(stranger, ada, bob), 403)["message"]
    error(course.reviews_of(bob, ada, bob), 403)  # a reviewer does not read the summary
    assert error(course.reviews_of(bob, bob, bob), 404)["message"] == "No reviews found"
    error(course.client.get(f"/api/peer-reviews/{ada.user_id}"), 401)


def rules_set(course: Cohort, **rules) -> dict:
    answer = course.set_rules(course.instructor, **rules)
    assert answer.status_code == 200, answer.text
    return data(answer)


def reviewed(course: Cohort, reviewer) -> dict:
    """The reviewer pulls the next work and reviews it; answer what they pulled."""
    work = pulled(course, reviewer)
    assert course.review(reviewer, work["assignmentId"], 4).status_code == 200
    return work


def test_the_rubric_answer_shows_the_modules_rules(course):
    default = rules_set(course)
    changed = rules_set(course, reviewsNeeded=3, reviewsRequired=2)
    kept = rules_set(course, reviewsRequired=1)

    assert (default["reviewsNeeded"], default["reviewsRequired"]) == (2, 0)
    assert (changed["reviewsNeeded"], changed["reviewsRequired"]) == (3, 2)
    assert (kept["reviewsNeeded"], kept["reviewsRequired"]) == (3, 1)


def test_a_modules_reviews_needed_limits_how_many_reviewers_get_a_submission(course):
    rules_set(course, reviewsNeeded=1)
    (ada, bob, cy), (work_of_ada, work_of_bob, work_of_cy) = submitted(course, 3)
    dee = course.learner()

    handed = [pulled(course, who)["submissionId"] for who in (bob, cy, ada)]

    assert handed == [work_of_ada, work_of_bob, work_of_cy]
    assert error(course.pull(dee), 404)["message"] == "Nothing to review"  # each has its one


def test_reviews_needed_may_rise_after_reviews_were_submitted(course):
    rules_set(course, reviewsNeeded=1)
    (ada, bob), (work_of_ada, _) = submitted(course, 2)
    reviewed(course, bob), reviewed(course, ada)
    cy = course.learner()
    assert error(course.pull(cy), 404)["message"] == "Nothing to review"

    assert rules_set(course, reviewsNeeded=2)["reviewsNeeded"] == 2
    assert pulled(course, cy)["submissionId"] == work_of_ada


@pytest.mark.parametrize(
    ("rules", "named"),
    [
        ({"reviewsNeeded": 0}, "reviewsNeeded must be between 1 and 20"),
        ({"reviewsNeeded": 21}, "reviewsNeeded must be between 1 and 20"),
        ({"reviewsRequired": -1}, "reviewsRequired must be between 0 and 20"),
        ({"reviewsRequired": 21}, "reviewsRequired must be between 0 and 20"),
        ({"reviewsNeeded": "two"}, "Invalid input data"),
    ],
)
def test_review_rules_outside_their_range_are_refused(course, rules, named):
    refused = error(course.set_rules(course.instructor, **rules), 400)
    assert refused["message"] == named
    kept = rules_set(course)  # the module's rules did not change
    assert (kept["reviewsNeeded"], kept["reviewsRequired"]) == (2, 0)


def test_a_learner_sees_their_feedback_only_after_doing_the_reviews_the_module_requires(course):
    rules_set(course, reviewsRequired=1)
    (ada, bob), _ = submitted(course, 2)
    reviewed(course, bob)
    holding = pulled(course, ada)  # a review in progress is not yet done

    before = data(course.reviews_of(ada, ada, bob, course.instructor))
    assert course.review(ada, holding["assignmentId"], 5).status_code == 200
    after = data(course.reviews_of(ada, ada))

    assert (before["reviews"], before["averageRating"], before["criteriaMedians"]) == (
        [],
        None,
        None,
    )
    assert before["withheld"] == [
        {
            "courseId": course.course_id,
            "moduleId": course.module_id,
            "reviewsRequired": 1,
            "reviewsDone": 0,
            "reviewsWithheld": 1,
        }
    ]
    assert (len(after["reviews"]), after["averageRating"], after["withheld"]) == (1, 4.0, [])


def test_the_instructor_and_admins_see_feedback_the_learner_must_still_earn(course):
    rules_set(course, reviewsRequired=2)
    (ada, bob), _ = submitted(course, 2)
    reviewed(course, bob)

    for reader in (course.instructor, course.admin):
        seen = data(course.reviews_of(reader, ada, bob, course.instructor))
        assert (len(seen["reviews"]), seen["averageRating"], seen["withheld"]) == (1, 4.0, [])


def test_a_modules_requirement_withholds_only_that_modules_reviews(course):
    essays, quiz = course, course.in_module(1)
    rules_set(quiz, reviewsRequired=1)
    ada, bob = course.learner(), course.learner()
    for module in (essays, quiz):
        assert module.submit_work(ada).status_code == 201
        assert module.submit_work(bob).status_code == 201
        reviewed(module, bob)

    seen = data(course.reviews_of(ada, ada, bob, course.instructor))

    assert [r["moduleId"] for r in seen["reviews"]] == [essays.module_id]
    assert [w["moduleId"] for w in seen["withheld"]] == [quiz.module_id]
    assert seen["averageRating"] == 4.0
