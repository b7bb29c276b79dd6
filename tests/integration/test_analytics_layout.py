"""Analytics tables made by an older Campus take today's sort order, with every row they held.

Both stores: chDB, and clickhouse-connect on its in-process chDB backend (as in
test_analytics_stores).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from infra.analytics.factory import open_analytics_store
from infra.analytics.store import AnalyticsStore
from infra.settings import Settings
from ops.bootstrap import bootstrap
from projections.analytics.layout import (
    LIVE_KEYS,
    columns,
    live_layouts,
    outdated,
    sort_key,
    upgrade,
)
from projections.analytics.runner import ANALYTICS, AnalyticsRunner, create_tables
from projections.analytics.schema import TABLES
from tests.analytics import Facts
from tests.analytics_history import make_history
from tests.conftest import embedded_settings

NEW_KEY = "fact, day, application, position"
OLD_KEY = "application, position, fact"
# As Campus created it before facts were sorted by kind and day.
OLD_FACTS = (
    TABLES["analytics_facts"]
    .replace(f"ORDER BY ({NEW_KEY})", f"ORDER BY ({OLD_KEY})")
    .replace("course_id LowCardinality(String)", "course_id String")
)
ROWS = "SELECT * FROM analytics_facts FINAL ORDER BY application, position, fact"


def live_key(store: AnalyticsStore, table: str) -> str:
    return {row["name"]: row["sorting_key"] for row in store.query(LIVE_KEYS)}[table]


@pytest.fixture(params=["chdb", "clickhouse-connect"])
def old_store(request: pytest.FixtureRequest, tmp_path) -> Iterator[AnalyticsStore]:
    url = f"chdb://{tmp_path / 'analytics'}" if request.param == "clickhouse-connect" else ""
    store = open_analytics_store(Settings(_env_file=None, data_dir=tmp_path, clickhouse_url=url))
    store.command(OLD_FACTS)
    create_tables(store)  # the others as today; the old facts table stays as it was
    yield store
    store.close()


def test_the_sort_key_and_columns_are_read_from_the_create_statement():
    assert sort_key(TABLES["analytics_facts"]) == NEW_KEY
    assert sort_key(TABLES["analytics_courses"]) == "course_id"
    assert columns(TABLES["analytics_tracking"]) == [
        ("application", "LowCardinality(String)"),
        ("partition", "UInt32"),
        ("position", "UInt64"),
    ]


def test_a_table_as_today_is_left_as_it_is(old_store):
    assert outdated(live_layouts(old_store)) == ["analytics_facts"]


def test_a_column_a_table_lacks_is_added_with_its_default(old_store):
    old_store.command("DROP TABLE analytics_tracking")
    old_store.command(
        "CREATE TABLE analytics_tracking (application String, position UInt64)"
        " ENGINE = ReplacingMergeTree(position) ORDER BY (application)"
    )
    old_store.insert("analytics_tracking", [{"application": "learning", "position": 7}])

    assert sorted(upgrade(old_store)) == ["analytics_facts", "analytics_tracking"]

    tracked = old_store.query("SELECT * FROM analytics_tracking")
    assert tracked == [{"application": "learning", "partition": 0, "position": 7}]


def test_an_old_facts_table_is_copied_into_the_new_order_with_every_row(old_store):
    facts = Facts(old_store)
    for day in (date(2025, 3, 1), date(2025, 5, 1)):
        facts.fact("enrollment", day, "c1", "u1")
    redelivered = facts.fact("completion", date(2025, 5, 2), "c1", "u1")
    old_store.insert("analytics_facts", [redelivered])
    before = old_store.query(ROWS)
    assert live_key(old_store, "analytics_facts") == OLD_KEY

    assert upgrade(old_store) == ["analytics_facts"]

    assert live_key(old_store, "analytics_facts") == NEW_KEY
    assert old_store.query(ROWS) == before
    assert len(before) == 3  # the redelivered fact still counts once
    assert upgrade(old_store) == []


def test_the_projector_reorders_an_old_table_before_its_first_batch(tmp_path):
    campus = bootstrap(embedded_settings(tmp_path))
    try:
        make_history(campus)
        campus.follower(ANALYTICS).catch_up()
        store = campus.analytics
        live = store.query(ROWS)
        # As an older Campus left it: the same rows in the old order.
        store.command(OLD_FACTS.replace(" analytics_facts (", " analytics_facts_old (", 1))
        store.command("INSERT INTO analytics_facts_old SELECT * FROM analytics_facts")
        store.command("EXCHANGE TABLES analytics_facts AND analytics_facts_old")
        store.command("DROP TABLE analytics_facts_old")
        assert live_key(store, "analytics_facts") == OLD_KEY

        AnalyticsRunner(store, campus.read_engine, tmp_path).apply([])

        assert live_key(store, "analytics_facts") == NEW_KEY
        assert store.query(ROWS) == live
    finally:
        campus.close()
