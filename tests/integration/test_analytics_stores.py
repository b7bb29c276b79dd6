"""Both analytics stores run the same SQL and bind parameters as data only.

``chdb`` is the embedded default's ``ChdbStore``; ``clickhouse-connect`` is the server adapter,
``ClickHouseStore``, here on clickhouse-connect's in-process chDB backend (no ClickHouse server
runs on this machine), so its binding, inserts and row types are those of the real client.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from infra.analytics.chdb_store import ChdbStore
from infra.analytics.factory import OnFirstUse, open_analytics_store
from infra.analytics.store import AnalyticsStore
from infra.settings import Settings

TABLE = """
    CREATE TABLE notes (id String, n UInt64, at DateTime64(6, 'UTC'), day Date, score Float64)
    ENGINE = ReplacingMergeTree ORDER BY id
"""
HOSTILE = [
    "x' OR 1=1 --",
    "'; DROP TABLE notes; --",
    "back\\slash",
    "tab\tnew\nline\rreturn",
    "`quoted`",
    "\\N",
    "ünïcødé",
    "{n:UInt64}",
]
AT = datetime(2025, 7, 29, 12, 30, 15, 123456, tzinfo=UTC)


def settings(tmp_path, kind: str) -> Settings:
    url = f"chdb://{tmp_path / 'analytics'}" if kind == "clickhouse-connect" else ""
    return Settings(_env_file=None, data_dir=tmp_path, clickhouse_url=url)


@pytest.fixture(params=["chdb", "clickhouse-connect"])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[AnalyticsStore]:
    store = open_analytics_store(settings(tmp_path, request.param))
    store.command(TABLE)
    store.insert("notes", [note(n, text) for n, text in enumerate(HOSTILE)])
    yield store
    store.close()


def note(n: int, text: str) -> dict:
    return {"id": text, "n": n, "at": AT, "day": AT.date(), "score": n / 2}


def test_hostile_strings_are_stored_and_matched_exactly(store):
    for n, text in enumerate(HOSTILE):
        found = store.query("SELECT n FROM notes FINAL WHERE id = {id:String}", {"id": text})
        assert found == [{"n": n}], text
    assert store.query("SELECT count() AS n FROM notes") == [{"n": len(HOSTILE)}]


def test_an_injected_string_matches_nothing_and_runs_nothing(store):
    for attack in ("' OR '1'='1", "x') OR 1=1 --", "x'; DROP TABLE notes; --"):
        assert store.query("SELECT n FROM notes WHERE id = {id:String}", {"id": attack}) == []
    assert store.query("SELECT count() AS n FROM notes") == [{"n": len(HOSTILE)}]


def test_a_number_parameter_refuses_anything_but_a_number(store):
    with pytest.raises(Exception, match="UInt64"):
        store.query("SELECT id FROM notes WHERE n = {n:UInt64}", {"n": "1 OR 1=1"})
    assert store.query("SELECT id FROM notes WHERE n = {n:UInt64}", {"n": 3}) == [
        {"id": HOSTILE[3]}
    ]


def test_an_array_parameter_holds_hostile_strings_as_elements(store):
    found = store.query(
        "SELECT count() AS n FROM notes WHERE id IN {ids:Array(String)}",
        {"ids": [*HOSTILE, "x']) OR 1=1 --"]},
    )
    assert found == [{"n": len(HOSTILE)}]


def test_both_stores_answer_rows_in_the_same_python_types(store):
    row = store.query("SELECT * FROM notes WHERE n = 1")[0]
    assert row == {"id": HOSTILE[1], "n": 1, "at": AT, "day": date(2025, 7, 29), "score": 0.5}
    assert row["at"].utcoffset() is not None
    day = "SELECT count() AS n FROM notes WHERE day = {day:Date} AND at <= {at:DateTime64(6)}"
    assert store.query(day, {"day": AT.date(), "at": AT}) == [{"n": len(HOSTILE)}]


def test_the_chdb_store_refuses_a_value_it_cannot_bind_and_a_table_that_is_no_name(tmp_path):
    store = ChdbStore(tmp_path / "analytics")
    try:
        with pytest.raises(TypeError):
            store.query("SELECT {v:String} AS v", {"v": object()})
        with pytest.raises(ValueError, match="not a table name"):
            store.insert("notes; DROP TABLE x", [{"id": "a"}])
    finally:
        store.close()


def test_chdb_stores_of_one_folder_share_it_and_the_last_one_out_frees_it(tmp_path):
    first, second = ChdbStore(tmp_path / "one"), ChdbStore(tmp_path / "one")
    with pytest.raises(RuntimeError, match="already serves"):
        ChdbStore(tmp_path / "two")  # chDB hosts one folder per process
    first.close()
    assert second.query("SELECT 1 AS one") == [{"one": 1}]
    with pytest.raises(RuntimeError, match="closed"):
        first.query("SELECT 1")
    second.close()
    other = ChdbStore(tmp_path / "two")
    assert other.query("SELECT 2 AS two") == [{"two": 2}]
    other.close()


def test_the_campus_store_opens_on_first_use_and_stays_closed(tmp_path):
    opened: list[str] = []

    def opener() -> AnalyticsStore:
        opened.append("now")
        return ChdbStore(tmp_path / "lazy")

    store = OnFirstUse(opener)
    assert opened == []
    assert store.query("SELECT 1 AS one") == [{"one": 1}] and opened == ["now"]
    store.close()
    with pytest.raises(RuntimeError, match="closed"):
        store.query("SELECT 1")
    assert opened == ["now"]
