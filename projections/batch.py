"""Row changes of one table within a batch of events, written with a few statements.

Projecting event by event costs a statement per event. Within a batch, a row inserted and
then changed is inserted once in its final shape, and changes to existing rows are merged
per row and grouped by the columns they set, so a batch of thousands of events becomes a
handful of multi-row statements. Changes only *set* columns, so merging them in event order
gives the same row as applying them one by one.

A projection whose next row depends on the row before (a sum, a document, a status that
depends on another column) loads the rows its batch touches first, all together, and changes
them in memory; one that only knows a row's whole new state ``put``s it, inserted or updated
as the table has it. Either way each row is written once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

from sqlalchemy import Connection, Table, and_, bindparam, insert, select, tuple_, update

from schemas.events import PublishedEvent

Row = dict[str, Any]
Key = Any  # the key column's value, or a tuple of the values of a key of several columns
LOAD_CHUNK = 500  # values per IN list: well below SQLite's bound on parameters


def chunks(ids: Iterable[Any], size: int = LOAD_CHUNK) -> Iterator[list[Any]]:
    """``ids``, sorted, in lists short enough for one IN clause each."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


class TableBatch:
    """One table's rows as a batch of events leaves them, keyed by ``key`` (a column, or a
    tuple of columns), written by ``flush`` in the batch's transaction."""

    def __init__(self, table: Table, key: str | tuple[str, ...] = "id") -> None:
        self.table = table
        self.columns = (key,) if isinstance(key, str) else key
        self.inserts: dict[Key, Row] = {}
        self.updates: dict[Key, Row] = {}
        self.loaded: dict[Key, Row] = {}  # stored rows, changed in place, written whole
        self.puts: dict[Key, Row] = {}  # whole rows, stored or not: known at flush

    def key_of(self, row: Row) -> Key:
        if len(self.columns) == 1:
            return row[self.columns[0]]
        return tuple(row[column] for column in self.columns)

    def insert(self, row: Row) -> None:
        self.inserts[self.key_of(row)] = row

    def update(self, key: Key, values: Row) -> None:
        row = self.inserts.get(key)
        if row is None:
            row = self.loaded.get(key)
        if row is not None:
            row.update(values)
        else:
            self.updates.setdefault(key, {}).update(values)

    def put(self, row: Row) -> None:
        """The row's whole new state: inserted if the table has no row of its key, else set."""
        self.puts[self.key_of(row)] = row

    def load(self, conn: Connection, keys: Iterable[Key]) -> None:
        """Read the stored rows of ``keys`` (those that exist), to change them with ``get``."""
        for row in self.stored(conn, set(keys) - self.loaded.keys()):
            self.loaded[self.key_of(row)] = row

    def get(self, key: Key) -> Row | None:
        """The row of ``key`` as this batch has it (inserted or loaded), or None; what is
        changed in it is written."""
        return self.inserts[key] if key in self.inserts else self.loaded.get(key)

    def rows(self) -> Iterator[Row]:
        """Every row this batch holds whole: inserted or loaded."""
        yield from self.inserts.values()
        yield from self.loaded.values()

    def flush(self, conn: Connection) -> None:
        if self.puts:
            stored = {self.key_of(row) for row in self.stored(conn, self.puts)}
            for key, row in self.puts.items():
                if key in stored:
                    self.update(key, self.values_of(row))
                else:
                    self.insert(row)
        for key, row in self.loaded.items():
            self.updates[key] = self.values_of(row)
        if self.inserts:
            conn.execute(insert(self.table), list(self.inserts.values()))
        self.write_updates(conn)
        self.inserts, self.updates, self.loaded, self.puts = {}, {}, {}, {}

    def values_of(self, row: Row) -> Row:
        """What an update of a whole row sets: every column but the key."""
        return {c: v for c, v in row.items() if c not in self.columns}

    def write_updates(self, conn: Connection) -> None:
        if not self.updates:
            return  # most batches change a few of a projection's tables: no statement to build
        by_columns: dict[tuple[str, ...], list[Row]] = defaultdict(list)
        for key, values in self.updates.items():
            keys = key if len(self.columns) > 1 else (key,)
            by_columns[tuple(sorted(values))].append(
                values | {f"_key{n}": part for n, part in enumerate(keys)}
            )
        where = and_(
            *(self.table.c[c] == bindparam(f"_key{n}") for n, c in enumerate(self.columns))
        )
        for columns, rows in by_columns.items():
            statement = update(self.table).where(where).values({c: bindparam(c) for c in columns})
            conn.execute(statement, rows)

    def stored(self, conn: Connection, keys: Iterable[Key]) -> Iterator[Row]:
        """The stored rows of ``keys``, read a chunk of keys at a time."""
        if len(self.columns) == 1:
            column = self.table.c[self.columns[0]]
        else:
            column = tuple_(*(self.table.c[c] for c in self.columns))
        for chunk in chunks(keys, LOAD_CHUNK // len(self.columns)):
            for found in conn.execute(select(self.table).where(column.in_(chunk))):
                yield dict(found._mapping)


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
