"""Bring analytics tables made by an older Campus to the layout their CREATE gives now.

ClickHouse cannot change a table's sort key in place, and ``CREATE TABLE IF NOT EXISTS`` keeps
an old table as it is. A table whose sort key or columns differ from its CREATE statement's is
copied into a table of the new layout (columns it did not have take their defaults), which
then takes its name in one ``EXCHANGE TABLES``: a reader meets the old table or the whole new
one, never a half-copied one. Run only by whoever holds the analytics projection's lock: a fact
written beside the copy would be left behind in the old table.
"""

from __future__ import annotations

import logging
import re

from infra.analytics.store import AnalyticsStore
from projections.analytics.schema import TABLES, fresh_copy_statements

log = logging.getLogger("campus.analytics")

LIVE_KEYS = "SELECT name, sorting_key FROM system.tables WHERE database = currentDatabase()"
LIVE_COLUMNS = """
    SELECT table, name, type FROM system.columns WHERE database = currentDatabase()
    ORDER BY table, position
"""
Layout = tuple[str, list[tuple[str, str]]]


def sort_key(create: str) -> str:
    """The ``ORDER BY`` of a CREATE statement, spelled as ``system.tables`` spells it."""
    found = re.search(r"ORDER BY \(?([^)\n]+)\)?\s*$", create.strip())
    assert found, create
    return ", ".join(part.strip() for part in found.group(1).split(","))


def columns(create: str) -> list[tuple[str, str]]:
    """The (name, type) of each column of a CREATE statement, one column to a line."""
    body = create[create.index("(") + 1 : create.rindex(") ENGINE")]
    lines = (line.strip().rstrip(",") for line in body.strip().splitlines())
    return [(name, kind) for name, _, kind in (line.partition(" ") for line in lines)]


def live_layouts(store: AnalyticsStore) -> dict[str, Layout]:
    keys = {row["name"]: row["sorting_key"] for row in store.query(LIVE_KEYS)}
    found: dict[str, list[tuple[str, str]]] = {}
    for row in store.query(LIVE_COLUMNS):
        found.setdefault(row["table"], []).append((row["name"], row["type"]))
    return {table: (key, found.get(table, [])) for table, key in keys.items()}


def outdated(live: dict[str, Layout]) -> list[str]:
    """The tables that exist with another sort key or other columns than their CREATE's."""
    return [
        table
        for table, create in TABLES.items()
        if table in live and live[table] != (sort_key(create), columns(create))
    ]


def reorder(store: AnalyticsStore, table: str, kept: list[str]) -> None:
    staging, listed = f"{table}_reordered", ", ".join(kept)
    for statement in fresh_copy_statements(table, staging):  # a copy cut short is dropped
        store.command(statement)
    store.command(f"INSERT INTO {staging} ({listed}) SELECT {listed} FROM {table}")
    store.command(f"EXCHANGE TABLES {table} AND {staging}")
    store.command(f"DROP TABLE {staging}")


def upgrade(store: AnalyticsStore) -> list[str]:
    """Copy every outdated table into its current layout; the names of those copied."""
    live = live_layouts(store)
    tables = outdated(live)
    for table in tables:
        log.info("analytics: copying %s into its current layout", table)
        had = {name for name, _ in live[table][1]}
        reorder(store, table, [name for name, _ in columns(TABLES[table]) if name in had])
    return tables
