"""The analytics queries on ClickHouse's engine (chDB): ranges, popularity, ratings, revenue,
coupon usage, filters, facts delivered twice counted once, and the figures of reports."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from domain.errors import InvalidInputError
from infra.analytics.chdb_store import ChdbStore
from infra.reports.archive import load_report, save_report
from read_api.queries.analytics import Period, course_analytics
from read_api.queries.analytics_reports import InvalidReportTypeError, computation
from read_api.queries.analytics_users import user_analytics
from schemas.analytics import CourseAnalyticsView, MoneyView, ReportParameters, ReportView
from tests.analytics import Facts, analytics_store

JULY = Period(date(2025, 7, 1), date(2025, 7, 31))
JUNE_30, JULY_1, JULY_15, JULY_31, AUGUST_1 = (
    date(2025, 6, 30),
    date(2025, 7, 1),
    date(2025, 7, 15),
    date(2025, 7, 31),
    date(2025, 8, 1),
)


@pytest.fixture(scope="module")
def chdb_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChdbStore]:
    store = analytics_store(tmp_path_factory.mktemp("chdb"))
    yield store
    store.close()


@pytest.fixture
def facts(chdb_store: ChdbStore) -> Facts:
    for table in ("analytics_facts", "analytics_courses", "analytics_users", "analytics_reports"):
        chdb_store.command(f"TRUNCATE TABLE {table}")
    return Facts(chdb_store)


def courses(facts: Facts, period: Period = JULY, category: str | None = None) -> dict:
    page = course_analytics(facts.store, period, category)
    return {course.course_id: course for course in page.courses} | {"total": page}


def enroll(facts: Facts, day: date, course_id: str, *users: str) -> None:
    for user in users:
        facts.fact("enrollment", day, course_id, user)


def test_both_ends_of_the_range_count_and_the_days_outside_do_not(facts: Facts) -> None:
    facts.course("python", "Python")
    for day, learner in ((JUNE_30, "a"), (JULY_1, "b"), (JULY_31, "c"), (AUGUST_1, "d")):
        enroll(facts, day, "python", learner)
    python = courses(facts)["python"]
    assert python.enrollments == 2


def test_popularity_is_enrollments_over_the_most_enrolled_course(facts: Facts) -> None:
    for course in ("python", "js", "go", "idle"):
        facts.course(course, course.title())
    enroll(facts, JULY_1, "python", "a", "b", "c", "d")
    enroll(facts, JULY_15, "js", "a", "b", "c")
    enroll(facts, JULY_15, "go", "a")
    found = courses(facts)
    assert [found[c].popularity for c in ("python", "js", "go", "idle")] == [1.0, 0.75, 0.25, 0.0]
    assert [c.course_id for c in found["total"].courses] == ["python", "js", "go", "idle"]
    assert found["total"].total_enrollments == 8


def test_popularity_is_zero_everywhere_when_nobody_enrolled(facts: Facts) -> None:
    facts.course("python", "Python")
    assert courses(facts)["python"] == CourseAnalyticsView(
        course_id="python",
        title="Python",
        category="Programming",
        enrollments=0,
        completions=0,
        popularity=0.0,
        average_rating=None,
        ratings=0,
        coupon_usage=0,
        revenue=[],
    )


def test_a_category_filter_lists_its_courses_and_keeps_popularity_against_all(
    facts: Facts,
) -> None:
    facts.course("python", "Python", "Programming")
    facts.course("drawing", "Drawing", "Art")
    enroll(facts, JULY_1, "python", "a", "b")
    enroll(facts, JULY_1, "drawing", "a")
    art = courses(facts, category="art")
    assert list(art) == ["drawing", "total"]
    assert art["drawing"].popularity == 0.5
    assert art["total"].total_enrollments == 1


def test_a_facts_redelivery_counts_once(facts: Facts) -> None:
    facts.course("python", "Python")
    enrollment = facts.fact("enrollment", JULY_1, "python", "a")
    payment = facts.paid(JULY_1, "python", "a", 500_000, code="SAVE10")
    facts.store.insert("analytics_facts", [enrollment, payment, enrollment])
    python = courses(facts)["python"]
    assert (python.enrollments, python.coupon_usage) == (1, 1)
    assert python.revenue == [MoneyView(amount=5000.0, currency="NGN")]


def test_coupon_usage_counts_payments_made_with_a_coupon(facts: Facts) -> None:
    facts.course("python", "Python")
    facts.paid(JULY_1, "python", "a", 450_000, code="SAVE10")
    facts.paid(JULY_15, "python", "b", 500_000)
    facts.paid(AUGUST_1, "python", "c", 450_000, code="SAVE10")
    facts.fact("coupon_redemption", JULY_1, "python", "a", code="SAVE10")
    assert courses(facts)["python"].coupon_usage == 1


def test_refunds_in_the_range_reduce_its_revenue(facts: Facts) -> None:
    facts.course("python", "Python")
    facts.paid(JUNE_30, "python", "a", 500_000)
    facts.paid(JULY_1, "python", "b", 450_050)
    facts.refunded(JULY_15, "python", "a", 200_000)
    facts.refunded(AUGUST_1, "python", "b", 450_050)
    assert courses(facts)["python"].revenue == [MoneyView(amount=2500.5, currency="NGN")]


def test_the_rating_is_each_learners_latest_as_of_the_end_of_the_range(facts: Facts) -> None:
    facts.course("python", "Python")
    facts.rated(JUNE_30, "python", "a", 2)  # before the range: still a's rating
    facts.rated(JULY_1, "python", "b", 5)
    facts.rated(JULY_15, "python", "b", 4)  # b changed their mind
    facts.rated(AUGUST_1, "python", "a", 5)  # after the range: not yet
    python = courses(facts)["python"]
    assert (python.average_rating, python.ratings) == (3.0, 2)


def test_completions_count_in_the_range(facts: Facts) -> None:
    facts.course("python", "Python")
    facts.fact("completion", JULY_31, "python", "a")
    facts.fact("completion", AUGUST_1, "python", "b")
    assert courses(facts)["python"].completions == 1


def users(facts: Facts, role: str | None = None, page: int = 1, size: int = 20) -> dict:
    found = user_analytics(facts.store, JULY, role, page, size)
    return {user.user_id: user for user in found.users} | {"total": found}


def test_users_registered_by_the_end_of_the_range_are_listed_oldest_first(facts: Facts) -> None:
    facts.user("late", "Late", day=AUGUST_1)
    facts.user("b", "Bola", day=JULY_15)
    facts.user("a", "Ada", day=JUNE_30)
    found = users(facts)
    assert [u.user_id for u in found["total"].users] == ["a", "b"]
    assert found["total"].total_users == 2


def test_a_role_filter_and_pages(facts: Facts) -> None:
    for number in range(5):
        facts.user(f"s{number}", "Student", day=date(2025, 6, number + 1))
    facts.user("teacher", "Teacher", role="instructor")
    second = users(facts, role="student", page=2, size=2)
    assert [u.user_id for u in second["total"].users] == ["s2", "s3"]
    assert second["total"].total_users == 5
    assert list(users(facts, role="instructor")) == ["teacher", "total"]


def test_a_users_counts_are_in_the_range(facts: Facts) -> None:
    facts.user("a", "Ada")
    enroll(facts, JUNE_30, "python", "a")
    enroll(facts, JULY_1, "js", "a")
    facts.fact("completion", JULY_15, "js", "a")
    facts.fact("certificate", JULY_15, "js", "a")
    facts.fact("certificate", AUGUST_1, "python", "a")
    ada = users(facts)["a"]
    assert (ada.enrollments, ada.completions, ada.certificates) == (1, 1, 1)


def test_progress_averages_the_latest_progress_of_every_enrollment_by_the_end(
    facts: Facts,
) -> None:
    facts.user("a", "Ada")
    facts.user("idle", "Idle")
    enroll(facts, JUNE_30, "python", "a")
    facts.progressed(JUNE_30, "python", "a", 0.25)
    facts.progressed(JULY_15, "python", "a", 0.5)
    facts.progressed(AUGUST_1, "python", "a", 1.0)  # after the range
    enroll(facts, JULY_1, "js", "a")  # never studied: 0
    enroll(facts, AUGUST_1, "go", "a")  # enrolled after the range: not counted
    found = users(facts)
    assert found["a"].progress == 0.25
    assert found["idle"].progress == 0.0


def test_the_default_range_is_the_last_30_days_and_it_may_not_run_backwards() -> None:
    today = date(2025, 7, 30)
    assert Period.of(None, None, today) == Period(JULY_1, today)
    assert Period.of(JULY_15, None, today) == Period(JULY_15, today)
    assert Period.of(None, JULY_31, today) == Period(date(2025, 7, 2), JULY_31)
    with pytest.raises(InvalidInputError):
        Period.of(JULY_15, JULY_1, today)


def test_the_revenue_report_adds_up_by_day_by_course_and_in_total(facts: Facts) -> None:
    facts.course("python", "Python")
    facts.course("js", "JavaScript")
    facts.paid(JULY_1, "python", "a", 450_000, code="SAVE10")
    facts.paid(JULY_1, "js", "a", 300_000)
    facts.paid(JULY_15, "python", "b", 500_000)
    facts.refunded(JULY_15, "python", "a", 450_000)
    facts.paid(AUGUST_1, "python", "c", 500_000)
    report = computation("revenue")(facts.store, JULY, ReportParameters())
    assert [(line.day, line.course_id, line.revenue) for line in report.items] == [
        (JULY_1, "js", 3000.0),
        (JULY_1, "python", 4500.0),
        (JULY_15, "python", 500.0),
    ]
    assert [(line.day, line.payments, line.refunds) for line in report.days] == [
        (JULY_1, 7500.0, 0.0),
        (JULY_15, 5000.0, 4500.0),
    ]
    assert [(line.title, line.revenue, line.coupon_payments) for line in report.courses] == [
        ("JavaScript", 3000.0, 0),
        ("Python", 5000.0, 1),
    ]
    (total,) = report.totals
    assert (total.currency, total.revenue, total.coupon_payments) == ("NGN", 8000.0, 1)


def test_the_progress_report_lists_everyone_and_spreads_them_over_bands(facts: Facts) -> None:
    for user, progress in (("a", 0.1), ("b", 0.25), ("c", 0.8), ("d", 1.0), ("e", 1.0)):
        facts.user(user, user.upper())
        enroll(facts, JULY_1, "python", user)
        facts.progressed(JULY_1, "python", user, progress)
    report = computation("userProgress")(facts.store, JULY, ReportParameters())
    assert report.total_users == len(report.users) == 5
    assert {bucket.label: bucket.users for bucket in report.distribution} == {
        "0-24%": 1,
        "25-49%": 1,
        "50-74%": 0,
        "75-99%": 1,
        "100%": 2,
    }


def test_an_unknown_report_type_is_invalid() -> None:
    with pytest.raises(InvalidReportTypeError, match="Invalid report type"):
        computation("everything")


def test_a_kept_report_reads_back_as_it_was_generated(facts: Facts) -> None:
    facts.course("python", "Python")
    enroll(facts, JULY_1, "python", "a")
    parameters = ReportParameters(start_date=JULY.start, end_date=JULY.end, category="Programming")
    report = ReportView(
        report_id=str(uuid.uuid4()),
        type="coursePopularity",
        parameters=parameters,
        generated_at=datetime(2025, 8, 1, 9, 30, 15, 123456, tzinfo=UTC),
        data=computation("coursePopularity")(facts.store, JULY, parameters),
    )
    save_report(facts.store, report, "admin")
    enroll(facts, JULY_1, "python", "b")  # later facts do not change a kept report
    assert load_report(facts.store, report.report_id) == report
    assert load_report(facts.store, str(uuid.uuid4())) is None
