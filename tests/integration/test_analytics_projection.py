"""The analytics projection: its facts add up to what happened, and replays, duplicates and
rebuilds never count an event twice; embedded (chDB, the follower) and through Kafka."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from fastapi import Depends
from typer.testing import CliRunner

from commands.users.register_user import RegisterUser
from infra.analytics.store import AnalyticsStore
from infra.eventstore.publishing import read_published
from infra.personal_data.events import opened_now
from ops.app import create_app
from ops.bootstrap import Campus, bootstrap
from projections.analytics.runner import ANALYTICS, AnalyticsRunner
from projections.base import Record
from projections.rebuild import rebuild
from read_api.consistency import consistent_with
from tests.analytics_history import COUPON, History, make_history
from tests.api import PASSWORD
from tests.client import Client
from tests.conftest import embedded_settings, services_campus

KEYS = {
    "analytics_events": "application, position",
    "analytics_facts": "application, position, fact",
    "analytics_courses": "course_id",
    "analytics_users": "user_id",
    "analytics_payments": "payment_id",
    "analytics_enrollments": "enrollment_id",
    "analytics_quiz_answers": "application, position, question_id",
}
FACTS = "SELECT fact, count() AS n, sum(amount) AS amount FROM analytics_facts FINAL GROUP BY fact"
WITH_CODE = """
    SELECT fact, count() AS n FROM analytics_facts FINAL
    WHERE code = {code:String} GROUP BY fact ORDER BY fact
"""


def tables(store: AnalyticsStore) -> dict[str, list[dict]]:
    return {t: store.query(f"SELECT * FROM {t} FINAL ORDER BY {key}") for t, key in KEYS.items()}


def heads(campus: Campus) -> dict[str, int]:
    return {name: app.recorder.max_notification_id() or 0 for name, app in campus.apps.items()}


def every_record(campus: Campus) -> list[Record]:
    return [(0, e) for app in campus.apps.values() for e in read_published(app, 0, 100_000)]


def assert_adds_up(store: AnalyticsStore, history: History) -> None:
    counted = {row["fact"]: (row["n"], row["amount"]) for row in store.query(FACTS)}
    assert {fact: n for fact, (n, _) in counted.items()} == dict(history.facts)
    assert counted["payment"][1] == history.money["payment"]
    assert counted["refund"][1] == history.money["refund"]
    assert counted["progress"][1] == history.money["studied"]
    # The refunded payment is the first learner's, who used the coupon.
    uses = history.coupon_payments
    assert store.query(WITH_CODE, {"code": COUPON}) == [
        {"fact": "coupon_redemption", "n": uses},
        {"fact": "payment", "n": uses},
        {"fact": "refund", "n": 1},
    ]
    anonymous = (
        "SELECT count() AS n FROM analytics_facts FINAL WHERE course_id = '' OR user_id = ''"
    )
    assert store.query(anonymous) == [{"n": 0}]


@pytest.fixture
def campus(tmp_path) -> Iterator[Campus]:
    campus = bootstrap(embedded_settings(tmp_path))
    yield campus
    campus.close()


@pytest.fixture
def history(campus: Campus) -> History:
    history = make_history(campus)
    campus.follower(ANALYTICS).catch_up()
    return history


def test_the_facts_add_up_to_what_happened(campus, history):
    assert history.facts["completion"] == history.facts["certificate"] > 0
    assert_adds_up(campus.analytics, history)
    events = campus.analytics.query("SELECT count() AS n FROM analytics_events FINAL")
    assert events == [{"n": sum(heads(campus).values())}]


def test_courses_and_users_keep_their_latest_titles_names_and_roles(campus, history):
    store = campus.analytics
    course = "SELECT title, category FROM analytics_courses FINAL WHERE course_id = {id:String}"
    assert store.query(course, {"id": history.courses[0]}) == [
        {"title": "Renamed", "category": "Data"}
    ]
    user = "SELECT name, role FROM analytics_users FINAL WHERE user_id = {id:String}"
    renamed = store.query(user, {"id": history.renamed})[0]["name"]
    assert renamed.startswith("sealed:")  # as published: the store never holds it in plain text
    assert opened_now(renamed, campus.personal_data) == "Renamed Learner"
    assert store.query(user, {"id": history.promoted})[0]["role"] == "instructor"


def test_replaying_the_whole_stream_again_changes_no_count(campus, history):
    runner, before = campus.runner(ANALYTICS), tables(campus.analytics)
    assert isinstance(runner, AnalyticsRunner)
    runner.apply(every_record(campus))  # all at or below the tracked positions: skipped
    assert tables(campus.analytics) == before
    # As after a crash between the facts and the position: every row is written again.
    runner.write([event for _, event in every_record(campus)])
    assert tables(campus.analytics) == before
    assert_adds_up(campus.analytics, history)


def test_duplicates_within_one_batch_collapse(campus, history):
    runner, live = campus.runner(ANALYTICS), tables(campus.analytics)
    runner.reset()
    records = every_record(campus)
    runner.apply([record for record in records for _ in (1, 2)])
    assert tables(campus.analytics) == live


def test_a_rebuild_equals_the_live_tables_and_keeps_the_reports(campus, history):
    report = {"report_id": "r1", "type": "coursePopularity", "parameters": "{}", "data": "{}"}
    campus.analytics.insert("analytics_reports", [report | {"generated_by": "admin"}])
    live = tables(campus.analytics)
    replayed = rebuild(campus.runner(ANALYTICS), list(campus.apps.values()), batch_size=7)
    assert replayed == sum(heads(campus).values())
    assert tables(campus.analytics) == live
    reports = campus.analytics.query("SELECT report_id FROM analytics_reports")
    assert reports == [{"report_id": "r1"}]


def test_the_tracking_position_advances_with_the_log(campus, history):
    runner = campus.runner(ANALYTICS)
    assert all(runner.applied_through(app) == head for app, head in heads(campus).items())
    late = campus.bus.handle(RegisterUser("late@example.com", PASSWORD, "Late Comer"))
    behind = heads(campus)["identity"]
    assert runner.applied_through("identity") < behind
    campus.follower(ANALYTICS).catch_up()
    assert runner.applied_through("identity") == runner.positions()["identity"] == behind
    names = campus.analytics.query(
        "SELECT name FROM analytics_users FINAL WHERE user_id = {id:String}", {"id": str(late)}
    )
    assert opened_now(names, campus.personal_data) == [{"name": "Late Comer"}]


def test_the_commands_list_show_and_rebuild_analytics(campus, history, monkeypatch):
    live = tables(campus.analytics)
    monkeypatch.setattr("ops.projections_cli.start", lambda settings=None: campus)
    monkeypatch.setattr(campus, "close", lambda: None)
    from ops.cli import cli

    listed = CliRunner().invoke(cli, ["projections", "list"])
    assert listed.exit_code == 0 and "analytics_facts" in listed.output
    rebuilt = CliRunner().invoke(cli, ["projections", "rebuild", "analytics"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "rebuilt analytics" in rebuilt.output
    assert tables(campus.analytics) == live
    status = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["projections", "status"])
    assert status.exit_code == 0, status.output
    row = next(
        line for line in status.output.splitlines() if "analytics " in line and "commerce" in line
    )
    assert [cell.strip() for cell in row.split("│")[1:4]] == [
        "analytics",
        "commerce",
        str(heads(campus)["commerce"]),
    ]


def test_a_read_with_a_consistency_token_waits_for_analytics(tmp_path):
    campus = bootstrap(embedded_settings(tmp_path))
    app = create_app(campus)  # runs the read-model and analytics followers in-process

    def users() -> list[dict]:
        names = campus.analytics.query("SELECT name FROM analytics_users FINAL")
        return opened_now(names, campus.personal_data)

    app.add_api_route("/probe", users, dependencies=[Depends(consistent_with(ANALYTICS))])
    with Client(app) as client:
        campus.bus.handle(RegisterUser("ada@example.com", PASSWORD, "Ada"))
        token = f"identity:{heads(campus)['identity']}"
        answer = client.get("/probe", headers={"X-Consistency-Token": token})
        assert answer.json() == [{"name": "Ada"}] and "X-Consistency" not in answer.headers
        ahead = client.get("/probe", headers={"X-Consistency-Token": "identity:999999"})
        assert ahead.headers["X-Consistency"] == "stale"


def test_the_services_backend_fills_the_tables_through_kafka(tmp_path):
    with services_campus(tmp_path, consistency_wait_seconds=0.2) as running:
        campus = running.campus
        history = make_history(campus)
        runner, written = campus.runner(ANALYTICS), heads(campus)
        deadline = time.monotonic() + 60
        while any(runner.applied_through(app) < head for app, head in written.items()):
            assert time.monotonic() < deadline, "the analytics projector did not catch up"
            time.sleep(0.05)
        assert_adds_up(campus.analytics, history)
        live = tables(campus.analytics)
        rebuild(runner, list(campus.apps.values()))  # while the Kafka projector runs
        assert tables(campus.analytics) == live
        tracked = campus.analytics.query("SELECT DISTINCT partition FROM analytics_tracking")
        assert len(tracked) > 1  # Kafka's partitions, each carried past the rebuild


def test_analytics_answers_during_a_rebuild_stay_whole(campus, history):
    def counts() -> list[dict]:
        return sorted(campus.analytics.query(FACTS), key=lambda row: row["fact"])

    before, apps = counts(), list(campus.apps.values())
    rebuilding = threading.Thread(
        target=rebuild, args=(campus.runner(ANALYTICS), apps), kwargs={"batch_size": 2}
    )
    reads = 0
    rebuilding.start()
    while rebuilding.is_alive() or reads == 0:
        assert counts() == before, "an analytics answer during the rebuild was partial"
        reads += 1
    rebuilding.join()
    assert reads >= 2
    assert_adds_up(campus.analytics, history)
