"""Row changes of one table within a batch of events, written with a few statements.

Projecting event by event costs a statement per event. Within a batch, a row inserted and
then changed is inserted once in its final shape, and changes to existing rows are merged
per row and grouped by the columns they set, so a batch of thousands of events becomes a
handful of multi-row statements. Changes only *set* columns, so merging them in event order
gives the same row as applying them one by one.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, update


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
