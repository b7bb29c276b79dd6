"""A batch of row changes ends in the same rows as applying the changes one by one: set,
changed in loaded rows, or put whole."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select

from projections.batch import TableBatch

metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("id", String, primary_key=True),
    Column("name", String),
    Column("colour", String),
    Column("version", Integer),
)


def rows(engine) -> list[tuple]:
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(things)))


def test_a_row_inserted_then_changed_in_one_batch_is_inserted_in_its_final_shape():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    batch = TableBatch(things)
    batch.insert({"id": "a", "name": "first", "colour": "red", "version": 1})
    batch.update("a", {"name": "renamed", "version": 2})
    batch.update("a", {"colour": "blue", "version": 3})
    with engine.begin() as conn:
        batch.flush(conn)
    assert rows(engine) == [("a", "renamed", "blue", 3)]


def test_changes_to_existing_rows_merge_per_row_in_event_order():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            things.insert(),
            [
                {"id": "a", "name": "A", "colour": "red", "version": 1},
                {"id": "b", "name": "B", "colour": "red", "version": 1},
            ],
        )
    batch = TableBatch(things)
    batch.update("a", {"name": "A2", "version": 2})
    batch.update("b", {"colour": "green", "version": 2})
    batch.update("a", {"name": "A3", "version": 3})
    with engine.begin() as conn:
        batch.flush(conn)
    assert rows(engine) == [("a", "A3", "red", 3), ("b", "B", "green", 2)]


pairs = Table(
    "pairs",
    metadata,
    Column("left", String, primary_key=True),
    Column("right", String, primary_key=True),
    Column("count", Integer),
)


def test_a_loaded_row_changed_in_memory_is_written_once_with_its_changes():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(pairs.insert(), [{"left": "a", "right": "b", "count": 1}])
    batch = TableBatch(pairs, key=("left", "right"))
    with engine.begin() as conn:
        batch.load(conn, [("a", "b"), ("a", "c")])
        assert batch.get(("a", "c")) is None
        for _ in range(3):
            batch.get(("a", "b"))["count"] += 1
        batch.insert({"left": "a", "right": "c", "count": 0})
        batch.get(("a", "c"))["count"] += 5
        batch.flush(conn)
    with engine.connect() as conn:
        assert sorted(tuple(r) for r in conn.execute(select(pairs))) == [
            ("a", "b", 4),
            ("a", "c", 5),
        ]


def test_a_put_row_is_inserted_when_new_and_set_when_stored():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(things.insert(), [{"id": "a", "name": "A", "colour": "red", "version": 1}])
    batch = TableBatch(things)
    batch.put({"id": "a", "name": "A2", "colour": "blue", "version": 2})
    batch.put({"id": "b", "name": "B", "colour": "red", "version": 1})
    batch.put({"id": "b", "name": "B2", "colour": "red", "version": 2})
    with engine.begin() as conn:
        batch.flush(conn)
    assert rows(engine) == [("a", "A2", "blue", 2), ("b", "B2", "red", 2)]
