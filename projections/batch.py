"""Row changes of one table within a batch of events, written with a few statements.

Projecting event by event costs a statement per event. Within a batch, a row inserted and
then changed is inserted once in its final shape, and changes to existing rows are merged
per row and grouped by the columns they set, so a batch of thousands of events becomes a
handful of multi-row statements. Changes only *set* columns, so merging them in event order
gives the same row as applying them one by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

from sqlalchemy import Connection, Table, bindparam, insert, update

from schemas.events import PublishedEvent

Row = dict[str, Any]
LOAD_CHUNK = 500  # ids per IN list: well below SQLite's bound on parameters


def chunks(ids: Iterable[str], size: int = LOAD_CHUNK) -> Iterator[list[str]]:
    """``ids``, sorted, in lists short enough for one IN clause each."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


class TableBatch:
    def __init__(self, table: Table, key: str = "id") -> None:
        self.table, self.key = table, key
        self.inserts: dict[Any, dict[str, Any]] = {}
        self.updates: dict[Any, dict[str, Any]] = {}

    def insert(self, row: dict[str, Any]) -> None:
        self.inserts[row[self.key]] = row

    def update(self, key: Any, values: dict[str, Any]) -> None:
        if key in self.inserts:
            self.inserts[key].update(values)
        else:
            self.updates.setdefault(key, {}).update(values)

    def flush(self, conn: Connection) -> None:
        if self.inserts:
            conn.execute(insert(self.table), list(self.inserts.values()))
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for key, values in self.updates.items():
            by_columns[tuple(sorted(values))].append({**values, "_key": key})
        for columns, rows in by_columns.items():
            statement = (
                update(self.table)
                .where(self.table.c[self.key] == bindparam("_key"))
                .values({c: bindparam(c) for c in columns})
            )
            conn.execute(statement, rows)
        self.inserts, self.updates = {}, {}


class RowPerAggregate:
    """A projection keeping one row per aggregate: the event that creates the aggregate inserts
    the row, and each event in ``changes`` sets some of its columns (and its ``version``)."""

    name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]]
    key: ClassVar[str]
    created: ClassVar[str]  # the event type that inserts the row
    row: ClassVar[Callable[[PublishedEvent], Row]]  # the row it inserts
    changes: ClassVar[Mapping[str, Callable[[PublishedEvent], Row]]] = {}

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        rows = TableBatch(self.tables[0], key=self.key)
        for event in events:
            if event.event_type == self.created:
                rows.insert(self.row(event))
            elif change := self.changes.get(event.event_type):
                rows.update(
                    event.aggregate_id, change(event) | {"version": event.aggregate_version}
                )
        rows.flush(conn)
