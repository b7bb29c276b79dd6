"""The Enrollment aggregate's rules, in memory: enrolling, recording progress, completing,
dropping and rating."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidInputError
from domain.learning.enrollment import MAX_SESSION_SECONDS, Enrollment, EnrollmentDroppedError
from domain.learning.enrollment_terms import Source, Status

AT = datetime(2025, 6, 1, 12, tzinfo=UTC)
ADA, BOLA = uuid.uuid4(), uuid.uuid4()
COURSE, OTHER_COURSE = uuid.uuid4(), uuid.uuid4()
PUBLISHED = {"l1": "m1", "l2": "m1", "l3": "m2"}


def enrolled() -> Enrollment:
    enrollment = Enrollment.enroll(ADA, COURSE, Source.FREE)
    enrollment.collect_events()
    return enrollment


def study(
    enrollment: Enrollment,
    lesson_id: str = "l1",
    progress: float = 0.5,
    time_spent: int = 60,
    position_seconds: int | None = 30,
    at: datetime = AT,
    published: Mapping[str, str] = PUBLISHED,
    module_id: str | None = None,
) -> None:
    module_id = module_id or published.get(lesson_id, "m1")
    enrollment.record_progress(
        module_id, lesson_id, progress, time_spent, position_seconds, at, published
    )


def event_names(enrollment: Enrollment) -> list[str]:
    return [type(e).__name__ for e in enrollment.collect_events()]


def test_enrolling_records_the_enrollment_then_a_welcome_request():
    enrollment = Enrollment.enroll(ADA, COURSE, Source.PAYMENT, payment_id=uuid.uuid4())

    assert event_names(enrollment) == ["Enrolled", "WelcomeRequested"]


def test_a_new_enrollment_is_in_progress_with_nothing_studied():
    enrollment = enrolled()

    assert (enrollment.status, enrollment.progress, enrollment.lessons) == (
        Status.IN_PROGRESS,
        0.0,
        {},
    )


def test_the_same_learner_and_course_always_have_the_same_enrollment_id():
    assert Enrollment.create_id(ADA, COURSE) == Enrollment.create_id(ADA, COURSE)


@pytest.mark.parametrize(
    ("user_id", "course_id"), [(BOLA, COURSE), (ADA, OTHER_COURSE)], ids=["learner", "course"]
)
def test_another_learner_or_another_course_has_another_enrollment_id(user_id, course_id):
    assert Enrollment.create_id(user_id, course_id) != Enrollment.create_id(ADA, COURSE)


@pytest.mark.parametrize(
    ("module_id", "lesson_id", "published"),
    [("m1", "l9", PUBLISHED), ("m2", "l1", PUBLISHED), ("m1", "l1", {})],
    ids=["unknown lesson", "lesson of another module", "nothing published"],
)
def test_progress_on_a_lesson_that_is_not_published_in_that_module_is_refused(
    module_id, lesson_id, published
):
    with pytest.raises(InvalidInputError):
        study(enrolled(), lesson_id, module_id=module_id, published=published)


@pytest.mark.parametrize("progress", [-0.01, 1.01, float("nan")])
def test_a_lesson_progress_outside_0_to_1_is_refused(progress):
    with pytest.raises(InvalidInputError):
        study(enrolled(), progress=progress)


@pytest.mark.parametrize("time_spent", [-1, MAX_SESSION_SECONDS + 1])
def test_time_spent_that_is_negative_or_over_a_day_is_refused(time_spent):
    with pytest.raises(InvalidInputError):
        study(enrolled(), time_spent=time_spent)


@pytest.mark.parametrize("time_spent", [0, MAX_SESSION_SECONDS])
def test_time_spent_from_nothing_to_a_whole_day_is_accepted(time_spent):
    enrollment = enrolled()

    study(enrollment, time_spent=time_spent)

    assert enrollment.time_spent == time_spent


def test_a_negative_position_is_refused():
    with pytest.raises(InvalidInputError):
        study(enrolled(), position_seconds=-1)


def test_a_refused_update_records_nothing():
    enrollment = enrolled()

    with pytest.raises(InvalidInputError):
        study(enrollment, progress=2.0)

    assert (event_names(enrollment), enrollment.lessons) == ([], {})


def test_a_visit_without_a_position_resumes_at_the_start_of_the_lesson():
    enrollment = enrolled()

    study(enrollment, position_seconds=None)

    assert enrollment.position_seconds == 0


def test_a_lesson_keeps_the_best_progress_reached():
    enrollment = enrolled()

    study(enrollment, progress=0.8)
    study(enrollment, progress=0.3)

    assert enrollment.lessons["l1"]["progress"] == 0.8


def test_the_learner_resumes_at_the_last_lesson_visited_where_they_left_it():
    enrollment = enrolled()
    study(enrollment, "l3", progress=0.9, position_seconds=500)

    study(enrollment, "l1", progress=0.1, position_seconds=40, at=AT + timedelta(hours=1))

    assert (
        enrollment.current_module_id,
        enrollment.current_lesson_id,
        enrollment.position_seconds,
        enrollment.last_accessed,
    ) == ("m1", "l1", 40, AT + timedelta(hours=1))


def test_time_spent_accumulates_per_lesson_and_in_total():
    enrollment = enrolled()

    study(enrollment, "l1", time_spent=60)
    study(enrollment, "l2", time_spent=30)
    study(enrollment, "l1", time_spent=90)

    assert (
        enrollment.lessons["l1"]["time_spent"],
        enrollment.lessons["l2"]["time_spent"],
        enrollment.time_spent,
    ) == (150, 30, 180)


def test_course_progress_is_the_share_of_published_lessons_completed_to_four_places():
    enrollment = enrolled()

    study(enrollment, "l1", progress=1.0)
    study(enrollment, "l2", progress=0.99)

    assert enrollment.progress == 0.3333


def test_a_completed_lesson_that_is_no_longer_published_does_not_count():
    enrollment = enrolled()
    study(enrollment, "l1", progress=1.0)

    study(enrollment, "l2", progress=0.5, published={"l2": "m1", "l3": "m2"})

    assert enrollment.progress == 0.0


def test_a_lesson_that_reads_as_complete_is_counted_as_complete_at_once():
    enrollment = enrolled()

    study(enrollment, "l1", progress=0.99996, published={"l1": "m1"})

    assert enrollment.is_completed == (enrollment.lessons["l1"]["progress"] >= 1.0)


def test_completing_every_published_lesson_completes_the_enrollment_once():
    enrollment = enrolled()

    for lesson_id in PUBLISHED:
        study(enrollment, lesson_id, progress=1.0)

    assert event_names(enrollment).count("Completed") == 1
    assert (enrollment.status, enrollment.progress, enrollment.completed_at) == (
        Status.COMPLETED,
        1.0,
        AT,
    )


def test_progress_after_completion_neither_completes_again_nor_reopens():
    enrollment = enrolled()
    for lesson_id in PUBLISHED:
        study(enrollment, lesson_id, progress=1.0)
    enrollment.collect_events()

    study(enrollment, "l2", progress=0.4, at=AT + timedelta(days=1))

    assert event_names(enrollment) == ["LessonProgressed"]
    assert (enrollment.status, enrollment.completed_at) == (Status.COMPLETED, AT)


def test_a_dropped_enrollment_refuses_progress():
    enrollment = enrolled()
    enrollment.drop()

    with pytest.raises(EnrollmentDroppedError):
        study(enrollment)


def test_dropping_twice_records_one_event():
    enrollment = enrolled()

    enrollment.drop()
    enrollment.drop()

    assert event_names(enrollment) == ["Dropped"]
    assert enrollment.status is Status.DROPPED


@pytest.mark.parametrize("stars", [0, 6, -1])
def test_a_rating_outside_1_to_5_stars_is_refused(stars):
    with pytest.raises(InvalidInputError):
        enrolled().rate(stars)


@pytest.mark.parametrize("stars", [1, 5])
def test_a_rating_of_1_to_5_stars_is_recorded(stars):
    enrollment = enrolled()

    enrollment.rate(stars)

    assert enrollment.rating == stars


def test_a_learner_whose_enrollment_was_dropped_may_not_rate():
    enrollment = enrolled()
    enrollment.drop()
    enrollment.collect_events()

    with pytest.raises(EnrollmentDroppedError):
        enrollment.rate(5)

    assert enrollment.rating is None and enrollment.collect_events() == []


def test_rating_with_the_same_stars_twice_records_one_event():
    enrollment = enrolled()

    enrollment.rate(4)
    enrollment.rate(4)

    assert event_names(enrollment) == ["Rated"]


def test_changing_a_rating_records_the_previous_one():
    enrollment = enrolled()
    enrollment.rate(4)
    enrollment.collect_events()

    enrollment.rate(2)

    [rated] = enrollment.collect_events()
    assert (rated.stars, rated.previous, enrollment.rating) == (2, 4, 2)


UPDATES = st.lists(
    st.tuples(st.sampled_from(sorted(PUBLISHED)), st.floats(0, 1, allow_nan=False)),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(UPDATES)
def test_course_progress_stays_in_0_to_1_never_decreases_and_is_the_share_completed(updates):
    enrollment = enrolled()
    completed: set[str] = set()
    previous = 0.0

    for lesson_id, progress in updates:
        study(enrollment, lesson_id, progress=progress)
        if round(progress, 4) >= 1.0:  # kept to four places: 0.99996 is complete
            completed.add(lesson_id)

        assert 0.0 <= enrollment.progress <= 1.0
        assert enrollment.progress >= previous
        assert enrollment.progress == round(len(completed) / len(PUBLISHED), 4)
        previous = enrollment.progress
